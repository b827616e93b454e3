using MqttRules.Expressions;
using MqttRules.Rules;
using MqttRules.State;

namespace MqttRules.Engine;

/// <summary>How an engine is put together; every dependency has a default usable in tests.</summary>
public sealed record EngineOptions
{
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The zone of rules without <c>timezone:</c> (<c>--timezone</c>).</summary>
    public TimeZoneInfo DefaultTimeZone { get; init; } = TimeZoneInfo.Utc;
    public IStateStore StateStore { get; init; } = NullStateStore.Instance;

    /// <summary>
    /// The host saves the state (<see cref="RuleEngine.FlushState"/>) before each commit of its
    /// store, so a transition need not be saved the moment it happens (<c>run</c>, whose store holds
    /// what it is given until that commit anyway): a series that changes many times between two
    /// commits is copied once, not at every transition.
    /// </summary>
    public bool SavesAtCommit { get; init; }

    /// <summary>Creates the baseline of a new series of an anomaly rule.</summary>
    public Func<AnomalySpec, TimeZoneInfo, IBaseline>? BaselineFactory { get; init; }

    /// <summary>Restores a baseline saved by <see cref="IBaseline.Save"/>.</summary>
    public Func<AnomalySpec, TimeZoneInfo, string, IBaseline?>? BaselineLoader { get; init; }

    /// <summary>The history that <c>last()</c> and window aggregates read; the engine feeds it messages.</summary>
    public IHistoryRecorder? History { get; init; }

    /// <summary>Series kept per rule (<c>MQTTRULES_MAX_SERIES</c>); past it idle series are forgotten, least recently seen first.</summary>
    public int MaxSeriesPerRule { get; init; } = SeriesLimitSetting.Default;
    public Diagnostics.EngineMetrics Metrics { get; init; } = new();
    public Microsoft.Extensions.Logging.ILogger Logger { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>Where notifiers with <c>group:</c> or <c>quiet_hours:</c> keep the alerts they hold (the state file in run); null: in memory.</summary>
    internal Notifiers.IHeldAlerts? HeldAlerts { get; init; }

    /// <summary>Sees every decision of the rules it wants (explain, the decision trace); null: no decision is built.</summary>
    public IDecisionObserver? Decisions { get; init; }

    /// <summary>Sees fires, resolves and each rule's firing state (<c>P/events</c>, <c>P/rules/&lt;rule&gt;/firing</c>); null: nothing is built.</summary>
    public IEngineEvents? Events { get; init; }

    /// <summary>Where run-time enabled overrides, mutes and acknowledgements survive a restart.</summary>
    public Lifecycle.ILifecycleStore LifecycleStore { get; init; } = Lifecycle.NullLifecycleStore.Instance;

    /// <summary>
    /// The engine topic prefix under which MQTT lifecycle commands arrive (<c>P/rules/&lt;rule&gt;/enabled/set</c>...;
    /// see <see cref="Lifecycle.LifecycleCommand"/>); null: no MQTT commands.
    /// </summary>
    public string? CommandPrefix { get; init; }

    /// <summary>
    /// A rule was switched on or off (at start for every rule, on a command, on a reload), on the
    /// evaluation thread: the rule id and whether it is in force (null: the rule was removed).
    /// </summary>
    public Action<string, bool?>? EnabledChanged { get; init; }

    /// <summary>A command switched a rule on or off: the filters to subscribe (<see cref="RuleEngine.Subscriptions"/>) changed.</summary>
    public Action? SubscriptionsChanged { get; init; }

    /// <summary>
    /// A series started flapping or settled (the hook for engine events, such as <c>P/events/&lt;rule&gt;</c>);
    /// called on the evaluation thread, so it must only queue.
    /// </summary>
    public Action<Lifecycle.FlapChange>? FlapChanged { get; init; }

    /// <summary>Checks each option against its stated range (<see cref="SeriesLimitSetting.Range"/>); throws a <see cref="Configuration.ConfigException"/> naming it.</summary>
    public void Validate() => SeriesLimitSetting.Range.Check(MaxSeriesPerRule, SeriesLimitSetting.Variable);
}

/// <summary>A history that the engine feeds with every message of a topic rules read.</summary>
public interface IHistoryRecorder : IHistory
{
    /// <summary>True when some rule reads history of this topic (through one of the filters in <paramref name="via"/>, when given).</summary>
    bool Wants(string topic, IReadOnlyList<string>? via = null);

    /// <summary>Records the message in every history series it matches; with <paramref name="via"/>, only in those whose topic is one of them.</summary>
    void Record(string topic, Payloads.Payload payload, DateTimeOffset now, IReadOnlyList<string>? via = null);

    /// <summary>Filters to subscribe so that history topics are received.</summary>
    IEnumerable<string> Filters { get; }

    /// <summary>The history as text, for the durable state store.</summary>
    string Save();

    /// <summary>Restores what <see cref="Save"/> wrote (JSON); false when it could not be used.</summary>
    bool Load(string json);
}
