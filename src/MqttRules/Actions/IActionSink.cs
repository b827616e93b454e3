namespace MqttRules.Actions;

/// <summary>Where the engine hands rendered actions: printed by replay, delivered by run.</summary>
public interface IActionSink
{
    void Submit(RenderedAction action);
}

/// <summary>Collects actions in memory (tests, benchmarks).</summary>
internal sealed class ListActionSink : IActionSink
{
    public List<RenderedAction> Actions { get; } = [];

    public void Submit(RenderedAction action) => Actions.Add(action);
}
