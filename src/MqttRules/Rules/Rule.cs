using MqttRules.Expressions;

namespace MqttRules.Rules;

/// <summary>A validated rule. Immutable, and knows nothing of YAML.</summary>
public sealed record Rule
{
    public required string Id { get; init; }
    public string? Description { get; init; }
    public required SourceLocation Location { get; init; }

    /// <summary>The topic trigger, or null for a scheduled rule.</summary>
    public TopicFilter? Topic { get; init; }
    public ISchedule? Schedule { get; init; }

    /// <summary>Dotted JSON path of the watched number, or null for the default.</summary>
    public string? ValuePath { get; init; }
    public CompiledExpression? When { get; init; }
    public CompiledExpression? Clear { get; init; }
    public TimeSpan For { get; init; }
    public TimeSpan Cooldown { get; init; }
    public TimeSpan Repeat { get; init; }
    public bool EachMessage { get; init; }
    public AnomalySpec? Anomaly { get; init; }
    public TimeSpan Absent { get; init; }

    /// <summary><c>enabled:</c> as written (default true); a run-time override may change what is in force (Lifecycle/).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>flap:</c> holds a series' notifications while it changes this often, or null.</summary>
    public FlapSpec? Flap { get; init; }

    /// <summary>The rule's own time zone, or null for the engine default.</summary>
    public TimeZoneInfo? TimeZone { get; init; }
    public IReadOnlyList<ActionSpec> Actions { get; init; } = [];
    public IReadOnlyList<ActionSpec> OnResolve { get; init; } = [];

    /// <summary>Runs when a publish with <c>confirm:</c> got no confirmation after its retries.</summary>
    public IReadOnlyList<ActionSpec> OnUnconfirmed { get; init; } = [];

    public bool IsScheduled => Schedule is not null;

    /// <summary>The rule's definition as written, in a canonical form: a reload keeps every state of a rule whose definition is the same.</summary>
    public string Definition { get; init; } = "";

    /// <summary>What its series' learned state depends on (topic, value, anomaly, zone), canonical: a changed rule keeps baselines when this is the same.</summary>
    public string SeriesDefinition { get; init; } = "";
}
