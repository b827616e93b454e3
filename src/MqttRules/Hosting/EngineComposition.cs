using MqttRules.Engine;
using MqttRules.History;
using MqttRules.Rules;
using MqttRules.State.Anomaly;

namespace MqttRules.Hosting;

/// <summary>Wires the engine's pluggable parts (baselines, history) the same way for run, replay and tests.</summary>
public static class EngineComposition
{
    /// <summary>
    /// <paramref name="options"/> with the anomaly baselines and, when rules read history, a
    /// <see cref="MessageHistory"/> of exactly the (topic, path) pairs they read. Parts already set are kept.
    /// </summary>
    public static EngineOptions ForRules(RuleSet rules, EngineOptions options) => options with
    {
        BaselineFactory = options.BaselineFactory ?? Baselines.Create,
        BaselineLoader = options.BaselineLoader ?? Baselines.Load,
        History = options.History ?? (rules.HistoryKeys.Count > 0 ? new MessageHistory(rules.HistoryKeys) : null),
    };

    /// <summary>The replay of <paramref name="rules"/> that <c>replay</c> and <c>test</c> run: the same engine as <c>run</c>, on a virtual clock.</summary>
    /// <param name="decisions">Sees every decision (<c>replay --explain</c>); null: none is built.</param>
    public static Replay.ReplayRunner Replay(RuleSet rules, Actions.IActionSink sink, Microsoft.Extensions.Logging.ILogger logger, TimeZoneInfo zone, int maxSeriesPerRule,
        IDecisionObserver? decisions = null) =>
        new(rules, sink, logger, zone) { Configure = (_, o) => ForRules(rules, o) with { MaxSeriesPerRule = maxSeriesPerRule, Decisions = decisions } };

    /// <summary>The kinds of action the rules can send (a notify counts as its notifier's channels).</summary>
    public static HashSet<ActionKind> UsedKinds(RuleSet rules) =>
        rules.Rules.SelectMany(r => r.Actions.Concat(r.OnResolve))
            .SelectMany(a => a is NotifySpec n ? n.Channels.Select(c => c.Kind) : [a.Kind])
            .ToHashSet();
}
