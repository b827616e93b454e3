using MqttRules.Rules;

namespace MqttRules.Engine;

/// <summary>What moves a series' state machine.</summary>
internal enum TriggerKind : byte
{
    /// <summary>A message the rule could decide (absent rules: any message on its topic).</summary>
    Message,

    /// <summary>The series' timer came due.</summary>
    Timer,

    /// <summary>The series was restored from the state store at start-up.</summary>
    Restore,
}

/// <summary>
/// One input of the state machine at <see cref="At"/>: for a message, whether <c>when</c> (and the
/// anomaly test) <see cref="Holds"/>, and <see cref="Clear"/>, the rule's <c>clear</c> when the
/// series is firing or held back (null: not evaluated, or neither true nor false).
/// </summary>
internal readonly record struct StepTrigger(TriggerKind Kind, DateTimeOffset At, bool Holds = false, bool? Clear = null)
{
    public static StepTrigger Message(DateTimeOffset at, bool holds, bool? clear = null) => new(TriggerKind.Message, at, holds, clear);

    public static StepTrigger Timer(DateTimeOffset due) => new(TriggerKind.Timer, due);

    public static StepTrigger Restore(DateTimeOffset now) => new(TriggerKind.Restore, now);
}

/// <summary>What the state machine reads of a rule, copied once per rule.</summary>
internal readonly record struct StepSettings(
    TimeSpan For = default,
    TimeSpan Cooldown = default,
    TimeSpan Repeat = default,
    TimeSpan Absent = default,
    bool EachMessage = false,
    bool HasClear = false)
{
    public static StepSettings Of(Rule rule) =>
        new(rule.For, rule.Cooldown, rule.Repeat, rule.Absent, rule.EachMessage, rule.Clear is not null);
}
