namespace MqttRules.Values;

/// <summary>
/// A <c>{name}</c> level of a topic filter: its name and 0-based level index in the match
/// filter. The model's topic filter holds them; expressions read them by name.
/// </summary>
public readonly record struct TopicCapture(string Name, int Level);
