using MqttRules.Values;

namespace MqttRules.Engine;

/// <summary>
/// Watches the engine's decisions (<c>explain</c>, <c>replay --explain</c>, the live decision trace).
/// Called on the engine's evaluation thread, before the actions a decision causes are handed on.
/// Without an observer (or for rules it does not want) the engine builds no decision at all.
/// </summary>
public interface IDecisionObserver
{
    /// <summary>Whether to build decisions of this rule; asked once per rule when the engine is created.</summary>
    bool Wants(string ruleId);

    void Observe(RuleDecision decision);

    /// <summary>
    /// The payload field paths a condition reads (shown with their values in each decision), asked
    /// once per condition; <paramref name="captures"/> are the rule's topic captures, which are not fields.
    /// </summary>
    IReadOnlyList<string> FieldsRead(string condition, IReadOnlyList<string> captures) => [];
}

/// <summary>One condition of a decision: its source, its result (null: neither true nor false, or not evaluated) and the payload fields it read.</summary>
public sealed record ConditionResult(string Name, string Source, bool? Result, IReadOnlyList<KeyValuePair<string, Value>> Fields);

/// <summary>The anomaly score of the value against the series' baseline; not <see cref="Ready"/> while it warms up.</summary>
public readonly record struct AnomalyReading(double Z, double Mean, double Stddev, bool Ready, bool Deviates);

/// <summary>
/// What the engine decided for one rule and one trigger (a message, a timer, a restore at start-up,
/// a schedule), and why: the filter's captures, the value read, each condition with the fields it
/// used, the anomaly score, the phase before and after, the state machine's reason (with
/// <see cref="Until"/> when something waits or is held back), the event and any failure.
/// </summary>
public sealed record RuleDecision
{
    public required DateTimeOffset Time { get; init; }
    public required string RuleId { get; init; }
    public string? Series { get; init; }

    /// <summary>message, timer, restore or schedule.</summary>
    public required string Trigger { get; init; }
    public string? Topic { get; init; }

    /// <summary>Whether the rule's topic filter matched the message (false only in <c>explain</c>'s lines for the other rules).</summary>
    public bool Matched { get; init; } = true;
    public IReadOnlyList<KeyValuePair<string, string?>> Captures { get; init; } = [];

    /// <summary>The value the rule read (<see cref="Value.Missing"/> when none was read).</summary>
    public Value Value { get; init; }
    public IReadOnlyList<ConditionResult> Conditions { get; init; } = [];
    public AnomalyReading? Anomaly { get; init; }
    public string? PhaseBefore { get; init; }
    public string? PhaseAfter { get; init; }

    /// <summary>The reason, as a code (<c>held_by_for</c>, <c>clear_not_met</c>, <c>value_missing</c>...).</summary>
    public required string Reason { get; init; }

    /// <summary>The reason, as a sentence for a person.</summary>
    public required string Explanation { get; init; }
    public DateTimeOffset? Until { get; init; }

    /// <summary>fire, resolve, repeat, message, schedule, retry, unconfirmed or none.</summary>
    public string Event { get; init; } = "none";

    /// <summary>Why the evaluation failed (a missing value, a condition neither true nor false...), or null.</summary>
    public string? Failure { get; init; }
}
