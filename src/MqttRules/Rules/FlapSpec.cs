namespace MqttRules.Rules;

/// <summary>
/// <c>flap: {changes, within}</c>: a series that fires or resolves at least <see cref="Changes"/>
/// times within <see cref="Within"/> is flapping; its notifications are held until it has been
/// stable for <see cref="Within"/>.
/// </summary>
public sealed record FlapSpec(int Changes, TimeSpan Within);
