using MqttRules.Values;

namespace MqttRules.Rules;

/// <summary>
/// A rule's MQTT topic filter. <see cref="Subscription"/> is what goes to the broker (with
/// <c>{name}</c> turned into <c>+</c>); <see cref="Match"/> is what topics are matched against
/// (the subscription without a <c>$share/group/</c> prefix).
/// </summary>
public sealed record TopicFilter(string Source, string Subscription, string Match, IReadOnlyList<TopicCapture> Captures);
