using MqttRules.Engine;
using MqttRules.History;
using MqttRules.Rules;
using MqttRules.State.Anomaly;

namespace MqttRules.Cli;

/// <summary>Wires the engine's pluggable parts (baselines, history) the same way for run and replay.</summary>
public static class Composition
{
    /// <summary>
    /// <paramref name="options"/> with the anomaly baselines and, when rules read history, a
    /// <see cref="MessageHistory"/> of exactly the (topic, path) pairs they read.
    /// </summary>
    public static EngineOptions ConfigureEngine(RuleSet rules, EngineOptions options) => options with
    {
        BaselineFactory = options.BaselineFactory ?? Baselines.Create,
        BaselineLoader = options.BaselineLoader ?? Baselines.Load,
        History = options.History ?? (rules.HistoryKeys.Count > 0 ? new MessageHistory(rules.HistoryKeys) : null),
    };
}
