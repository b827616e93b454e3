using MqttRules.Engine;
using MqttRules.Replay;

namespace MqttRules.Cli;

/// <summary>Wires the engine's pluggable parts (baselines, history) the same way for run and replay.</summary>
public static class Composition
{
    public static EngineOptions ConfigureEngine(ReplayClock clock, EngineOptions options) => options;

    /// <summary>The same wiring for <c>run</c> (system clock); keep it in step with <see cref="ConfigureEngine"/>.</summary>
    public static EngineOptions ConfigureLive(EngineOptions options) => options;
}
