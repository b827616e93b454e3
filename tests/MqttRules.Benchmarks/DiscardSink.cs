using MqttRules.Actions;

namespace MqttRules.Benchmarks;

/// <summary>Drops every action; counts them so a broken workload (no fires) is noticed.</summary>
public sealed class DiscardSink : IActionSink
{
    public long Count { get; private set; }

    public void Submit(RenderedAction action) => Count++;
}
