using MqttRules.State;
using MqttRules.Storage;

namespace MqttRules.Hosting;

/// <summary>What must be durable before the engine loop acknowledges the messages of a batch.</summary>
internal interface IDurability
{
    /// <summary>
    /// Makes durable what the evaluated messages caused (publishes not yet acknowledged by the broker,
    /// writes held while the store could not take them); false while the store cannot take writes.
    /// </summary>
    bool Commit();

    /// <summary>Why the last <see cref="Commit"/> failed, or null.</summary>
    string? Problem { get; }
}

/// <summary>The state file and the publish journal of <c>run</c>.</summary>
internal sealed class StoreDurability(StateDatabase db, LiveActionSink? publishes) : IDurability
{
    public bool Commit()
    {
        publishes?.Checkpoint();
        return db.RetryHeld();
    }

    public string? Problem => db.Problem;
}

/// <summary>
/// Journals the publishes submitted so far before rule state is saved, so that a firing state is
/// never stored ahead of the command it sent: after a crash the command is sent again.
/// </summary>
internal sealed class JournalFirstStateStore(IStateStore inner, LiveActionSink publishes) : IStateStore
{
    public IReadOnlyList<SeriesSnapshot> LoadSeries() => inner.LoadSeries();

    public void SaveSeries(IReadOnlyCollection<SeriesSnapshot> snapshots)
    {
        publishes.Checkpoint();
        inner.SaveSeries(snapshots);
    }

    public string? LoadValue(string key) => inner.LoadValue(key);

    public void SaveValue(string key, string value) => inner.SaveValue(key, value);
}
