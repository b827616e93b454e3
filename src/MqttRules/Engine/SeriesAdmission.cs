using MqttRules.Diagnostics;
using MqttRules.State;

namespace MqttRules.Engine;

/// <summary>The per-rule series limit: evictions, refusals, their warning and the store rows they delete.</summary>
internal sealed class SeriesAdmission(EngineOptions options, SeriesJournal journal)
{
    private static readonly TimeSpan SeriesWarningInterval = TimeSpan.FromMinutes(1);

    private readonly List<SeriesState> evictedNow = [];
    private readonly Dictionary<string, SeriesLimitWarning> seriesWarnings = new(StringComparer.Ordinal);
    private readonly EngineMetrics metrics = options.Metrics;

    /// <summary>Room for a new series of <paramref name="rt"/>: evicts idle ones when at the limit; false refuses the series.</summary>
    public bool RoomFor(RuleRuntime rt, SeriesLimit limit, Dictionary<string, SeriesState> series)
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
            journal.Forget(rt, st);
        }

        metrics.SeriesEvicted(evictedNow.Count);
        if (!room)
        {
            metrics.SeriesRefused();
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

        Log.SeriesLimitReached(options.Logger, ruleId, options.MaxSeriesPerRule, w.Evicted, w.Refused);
        w.Last = now;
        w.Evicted = 0;
        w.Refused = 0;
    }

    private sealed class SeriesLimitWarning
    {
        public DateTimeOffset Last { get; set; }
        public long Evicted { get; set; }
        public long Refused { get; set; }
    }
}
