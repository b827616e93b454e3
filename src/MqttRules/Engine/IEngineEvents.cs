using MqttRules.Values;

namespace MqttRules.Engine;

/// <summary>
/// Where the engine reports what happens to its rules beyond their actions (<c>P/events/&lt;rule&gt;</c>,
/// <c>P/rules/&lt;rule&gt;/firing</c>). Called on the evaluation thread, after the actions of the event
/// were handed on: an implementation must return at once (queue, never wait) and never throw.
/// Without one (replay, tests, <c>--dry-run</c>) the engine builds nothing.
/// </summary>
public interface IEngineEvents
{
    /// <summary>
    /// Reports one event: the engine's <c>fire</c> and <c>resolve</c>, and any other kind a feature
    /// reports the same way (<c>unconfirmed</c>, <c>flapping</c>, <c>muted</c>...), with its own <see cref="EngineEvent.Details"/>.
    /// </summary>
    void Publish(EngineEvent engineEvent);

    /// <summary>
    /// Whether any series of the rule fires changed; also said for every rule after start (state
    /// restored) and after a reload, so the listener always knows each rule's state.
    /// </summary>
    void FiringChanged(string ruleId, bool firing);
}

/// <summary>
/// One engine event. <see cref="Series"/> is the series' topic (null for a rule without series,
/// a schedule); <see cref="Value"/> the rule's value at the event (missing: none);
/// <see cref="Captures"/> the topic's <c>{name}</c> captures; <see cref="Details"/> what a kind adds.
/// </summary>
public sealed record EngineEvent(string RuleId, string Event, string? Series, DateTimeOffset Time)
{
    public Value Value { get; init; }

    /// <summary>Seconds the condition had held (fire) or the firing lasted (resolve), as the <c>duration</c> variable.</summary>
    public double? Duration { get; init; }
    public IReadOnlyList<KeyValuePair<string, string?>> Captures { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, Value>> Details { get; init; } = [];
}
