using Microsoft.Extensions.Logging;
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

    /// <summary>
    /// Another <see cref="Commit"/> would write nothing, now or later without new work: no publish is
    /// on its way or waits for its journal row to go, nothing is held. An idle loop stops committing then.
    /// </summary>
    bool Settled => false;

    /// <summary>Rows waiting to be written (a commit of many at once stalls the engine for its length).</summary>
    int Waiting => 0;
}

/// <summary>The state file and the publish journal of <c>run</c>.</summary>
internal sealed class StoreDurability(StateDatabase db, LiveActionSink? publishes, JournalFirstStateStore? state = null) : IDurability
{
    public bool Commit()
    {
        if (state is not null)
        {
            state.Flush();
        }
        else
        {
            publishes?.Checkpoint();
        }

        return db.RetryHeld();
    }

    public string? Problem => db.Problem;

    public bool Settled => (state?.Settled ?? true) && (publishes?.Settled ?? true) && db.Healthy;

    public int Waiting => state?.Waiting ?? 0;
}

/// <summary>
/// Rule state of the live engine, written once per evaluated batch instead of once per transition:
/// the engine saves a series at every phase change, which at a steady rate is one SQLite transaction
/// per message. Saves and deletes are kept (the latest per series) until <see cref="Flush"/>, which
/// <see cref="StoreDurability.Commit"/> calls before the batch's input is acknowledged. Flush journals
/// the publishes submitted so far first, so that a firing state is never stored ahead of the command
/// it sent: after a crash the command is sent again.
/// </summary>
internal sealed class JournalFirstStateStore(IStateStore inner, LiveActionSink publishes, ILogger logger) : IStateStore
{
    // null: the series was deleted (evicted) after its last save.
    private readonly Dictionary<(string RuleId, string Series), SeriesSnapshot?> pending = [];

    // The latest set of publishes waiting for confirmation, written with the batch; null: unchanged.
    private IReadOnlyCollection<ConfirmationSnapshot>? confirmations;

    public IReadOnlyList<SeriesSnapshot> LoadSeries() => inner.LoadSeries();

    /// <summary>Nothing waits to be written.</summary>
    public bool Settled => pending.Count == 0;

    /// <summary>Series waiting to be written.</summary>
    public int Waiting => pending.Count;

    public void SaveSeries(IReadOnlyCollection<SeriesSnapshot> snapshots)
    {
        foreach (var s in snapshots)
        {
            pending[(s.RuleId, s.Series)] = s;
        }
    }

    public void DeleteSeries(IReadOnlyCollection<(string RuleId, string Series)> keys)
    {
        foreach (var key in keys)
        {
            pending[key] = null;
        }
    }

    public IReadOnlyList<ConfirmationSnapshot> LoadConfirmations() => inner.LoadConfirmations();

    public void SaveConfirmations(IReadOnlyCollection<ConfirmationSnapshot> pending) => confirmations = pending;

    public string? LoadValue(string key) => inner.LoadValue(key);

    public void SaveValue(string key, string value) => inner.SaveValue(key, value);

    /// <summary>Journals the publishes submitted so far, then writes the pending state (held by the database while it cannot take writes).</summary>
    public void Flush()
    {
        publishes.Checkpoint();
        FlushConfirmations();
        if (pending.Count == 0)
        {
            return;
        }

        var deletes = new List<(string RuleId, string Series)>();
        var saves = new List<SeriesSnapshot>();
        foreach (var (key, snapshot) in pending)
        {
            if (snapshot is null)
            {
                deletes.Add(key);
            }
            else
            {
                saves.Add(snapshot);
            }
        }

        try
        {
            if (deletes.Count > 0)
            {
                inner.DeleteSeries(deletes);
            }

            inner.SaveSeries(saves);
            pending.Clear();
        }
        catch (Exception ex)
        {
            // Kept: written with the next batch (as the engine retries a failed save at its next flush).
            HostingLog.StateSaveFailed(logger, ex);
        }
    }

    private void FlushConfirmations()
    {
        if (confirmations is null)
        {
            return;
        }

        try
        {
            inner.SaveConfirmations(confirmations);
            confirmations = null;
        }
        catch (Exception ex)
        {
            HostingLog.StateSaveFailed(logger, ex);
        }
    }
}
