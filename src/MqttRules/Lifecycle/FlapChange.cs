namespace MqttRules.Lifecycle;

/// <summary>A series of <see cref="RuleId"/> started flapping (<see cref="Flapping"/>) or settled, at <see cref="At"/>.</summary>
public sealed record FlapChange(string RuleId, string Series, bool Flapping, DateTimeOffset At);
