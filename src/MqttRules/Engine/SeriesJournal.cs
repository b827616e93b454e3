using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using MqttRules.State;

namespace MqttRules.Engine;

/// <summary>
/// What of the engine's state goes to the store, and when: series marked dirty (saved at once
/// when a transition is among them, else at the next periodic flush), the rows of evicted series
/// to delete, and the history of history functions (at most once a minute). Loads them back at start-up.
/// </summary>
internal sealed class SeriesJournal(EngineOptions options)
{
    private const string HistoryKey = "history";
    private static readonly TimeSpan HistorySaveInterval = TimeSpan.FromMinutes(1);

    /// <summary>Stored rows of evicted series waiting to be deleted, at most (only a failing store lets them pile up; a row left behind is restored as an idle series).</summary>
    private const int MaxPendingDeletes = 100_000;

    private readonly HashSet<(RuleRuntime Rule, SeriesState Series)> dirty = [];
    private readonly HashSet<(string RuleId, string Series)> evictedUnsaved = [];
    private readonly IStateStore store = options.StateStore;
    private readonly ILogger logger = options.Logger;
    private readonly bool saves = options.StateStore is not NullStateStore;

    /// <summary>The history of history functions saved with the series (replaced when a reload changes what the rules read).</summary>
    public IHistoryRecorder? History { get; set; } = options.History;

    /// <summary>A transition is among the dirty series: save now, not at the next periodic flush.</summary>
    private bool urgentDirty;
    private bool historyChanged;
    private DateTimeOffset lastHistorySave;

    public void MarkDirty(RuleRuntime rt, SeriesState st, bool urgent)
    {
        if (!saves)
        {
            return;
        }

        dirty.Add((rt, st));
        urgentDirty |= urgent;
    }

    /// <summary>An evicted series: not saved any more, and its stored row deleted at the next flush.</summary>
    public void Forget(RuleRuntime rt, SeriesState st)
    {
        dirty.Remove((rt, st));
        if (saves && evictedUnsaved.Count < MaxPendingDeletes)
        {
            evictedUnsaved.Add((rt.Rule.Id, st.Series));
        }
    }

    public void HistoryChanged() => historyChanged = true;

    /// <summary>A periodic <see cref="Flush"/> has something to write: changed series, rows to delete, a changed history.</summary>
    public bool Pending => dirty.Count > 0 || evictedUnsaved.Count > 0 || (historyChanged && History is not null);

    /// <summary>Series waiting to be saved.</summary>
    public int DirtyCount => dirty.Count;

    /// <summary>Saves now when a transition waits to be saved (unless the host saves at each commit, see <see cref="EngineOptions.SavesAtCommit"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void FlushUrgent()
    {
        if (urgentDirty && !options.SavesAtCommit)
        {
            Flush();
        }
    }

    /// <summary>
    /// Writes every changed series state to the store, and the history at most once a minute
    /// (every time when <paramref name="final"/>, at shutdown).
    /// </summary>
    public void Flush(bool final = false)
    {
        SaveHistory(final);
        DeleteEvicted();
        if (dirty.Count == 0)
        {
            return;
        }

        var snapshots = dirty.Select(k => Snapshot(k.Rule, k.Series)).ToArray();
        try
        {
            store.SaveSeries(snapshots);
            dirty.Clear();
            urgentDirty = false;
        }
        catch (Exception ex)
        {
            Log.StateSaveFailed(logger, ex);
        }
    }

    /// <summary>Restores the history of history functions; from now on, it is saved at most once a minute.</summary>
    public void LoadHistory(DateTimeOffset now)
    {
        lastHistorySave = now;
        if (History is { } history && store.LoadValue(HistoryKey) is { } saved && history.Load(saved))
        {
            Log.HistoryRestored(logger);
        }
    }

    /// <summary>The saved series of the rules in <paramref name="byId"/>, as they were saved (timers not armed yet).</summary>
    public IEnumerable<(RuleRuntime Rule, SeriesState Series)> LoadSeries(Dictionary<string, RuleRuntime> byId)
    {
        foreach (var snap in store.LoadSeries())
        {
            if (byId.TryGetValue(snap.RuleId, out var rt))
            {
                yield return (rt, Restore(rt, snap));
            }
        }
    }

    private SeriesState Restore(RuleRuntime rt, SeriesSnapshot snap)
    {
        var st = new SeriesState(snap.Series)
        {
            Phase = snap.Phase,
            Since = snap.Since,
            LastFire = snap.LastFire,
            Due = snap.Due,
            LastSeen = snap.LastSeen,
            Last = snap.LastTopic is null ? null : new MessageSnapshot(snap.LastTopic, snap.LastPayload ?? [], snap.LastCaptures ?? []),
        };
        if (rt.Rule.Anomaly is { } spec && snap.Extra is { } extra)
        {
            st.Extra = options.BaselineLoader?.Invoke(spec, rt.Zone, extra);
        }

        return st;
    }

    private static SeriesSnapshot Snapshot(RuleRuntime rt, SeriesState st) => new(
        rt.Rule.Id, st.Series, st.Phase, st.Since, st.LastFire, st.Due, st.LastSeen,
        st.Last?.Topic, st.Last?.Payload.ToArray(), st.Last?.Captures, (st.Extra as IBaseline)?.Save());

    private void SaveHistory(bool final)
    {
        var now = options.Clock.GetUtcNow();
        if (!historyChanged || History is not { } history || (!final && now - lastHistorySave < HistorySaveInterval))
        {
            return;
        }

        try
        {
            store.SaveValue(HistoryKey, history.Save());
            historyChanged = false;
            lastHistorySave = now;
        }
        catch (Exception ex)
        {
            Log.StateSaveFailed(logger, ex);
        }
    }

    /// <summary>Deletes the stored rows of evicted series (before saving dirty ones, so a series that came back is saved again).</summary>
    private void DeleteEvicted()
    {
        if (evictedUnsaved.Count == 0)
        {
            return;
        }

        try
        {
            store.DeleteSeries(evictedUnsaved);
            evictedUnsaved.Clear();
        }
        catch (Exception ex)
        {
            Log.StateSaveFailed(logger, ex);
        }
    }
}
