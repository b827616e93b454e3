using MqttRules.Engine;
using MqttRules.Replay;

namespace MqttRules.Cli;

/// <summary>Wires the engine's pluggable parts (baselines, history) the same way for run and replay.</summary>
public static class Composition
{
    public static EngineOptions ConfigureEngine(ReplayClock clock, EngineOptions options) => options;
}
