using MqttRules.State;

namespace MqttRules.Engine;

/// <summary>The per-rule series limit: evictions, refusals, their warning and the store rows they delete.</summary>
public sealed partial class RuleEngine
{
    private static readonly TimeSpan SeriesWarningInterval = TimeSpan.FromMinutes(1);

    /// <summary>Stored rows of evicted series waiting to be deleted, at most (only a failing store lets them pile up; a row left behind is restored as an idle series).</summary>
    private const int MaxPendingDeletes = 100_000;
    private readonly List<SeriesState> evictedNow = [];
    private readonly HashSet<(string RuleId, string Series)> evictedUnsaved = [];
    private readonly Dictionary<string, SeriesLimitWarning> seriesWarnings = new(StringComparer.Ordinal);

    internal int MaxSeriesPerRule => options.MaxSeriesPerRule;

    /// <summary>Entries in the timer queue (at most about one per series that waits for a timer).</summary>
    internal int QueuedTimers => timers.Count;

    /// <summary>Room for a new series of <paramref name="rt"/>: evicts idle ones when at the limit; false refuses the series.</summary>
    internal bool RoomForSeries(RuleRuntime rt, SeriesLimit limit, Dictionary<string, SeriesState> series)
    {
        if (series.Count < options.MaxSeriesPerRule)
        {
            return true;
        }

        var now = options.Clock.GetUtcNow();
        evictedNow.Clear();
        var room = limit.MakeRoom(rt.Rule, series, now, evictedNow);
        foreach (var st in evictedNow)
        {
            dirty.Remove((rt, st));
            if (options.StateStore is not NullStateStore && evictedUnsaved.Count < MaxPendingDeletes)
            {
                evictedUnsaved.Add((rt.Rule.Id, st.Series));
            }
        }

        Metrics.SeriesEvicted(evictedNow.Count);
        if (!room)
        {
            Metrics.SeriesRefused();
        }

        WarnSeriesLimit(rt.Rule.Id, now, evictedNow.Count, room ? 0 : 1);
        return room;
    }

    /// <summary>One warning per rule and minute at most, with the counts since the last one.</summary>
    private void WarnSeriesLimit(string ruleId, DateTimeOffset now, int evicted, int refused)
    {
        if (!seriesWarnings.TryGetValue(ruleId, out var w))
        {
            seriesWarnings[ruleId] = w = new SeriesLimitWarning { Last = DateTimeOffset.MinValue };
        }

        w.Evicted += evicted;
        w.Refused += refused;
        if (now - w.Last < SeriesWarningInterval)
        {
            return;
        }

        Log.SeriesLimitReached(logger, ruleId, options.MaxSeriesPerRule, w.Evicted, w.Refused);
        w.Last = now;
        w.Evicted = 0;
        w.Refused = 0;
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
            options.StateStore.DeleteSeries(evictedUnsaved);
            evictedUnsaved.Clear();
        }
        catch (Exception ex)
        {
            Log.StateSaveFailed(logger, ex);
        }
    }

    private sealed class SeriesLimitWarning
    {
        public DateTimeOffset Last { get; set; }
        public long Evicted { get; set; }
        public long Refused { get; set; }
    }
}
