using MqttRules.Rules;
using MqttRules.State;

namespace MqttRules.Engine;

/// <summary>
/// Keeps one rule's series at most <c>max</c> (<c>MQTTRULES_MAX_SERIES</c>): when a new series
/// would pass it, the least recently seen idle series are evicted, a tenth of the limit at once so
/// that a flood of new topics costs one scan per <c>max / 10</c> of them. Only an idle series with
/// nothing to wait for is evicted (no pending <c>for:</c>, no firing alert, no running cooldown, no
/// absence watch): an evicted series comes back as a new one. When none can be evicted, the new
/// series is refused and, to keep that cheap, the next <c>max / 10</c> new ones are refused
/// without another scan.
/// </summary>
internal sealed class SeriesLimit(int max)
{
    private int refuseWithoutScan;

    /// <summary>
    /// True when <paramref name="series"/> has room for one more, after moving the evicted series
    /// to <paramref name="evicted"/>; false when the new series must be refused.
    /// </summary>
    public bool MakeRoom(Rule rule, Dictionary<string, SeriesState> series, DateTimeOffset now, List<SeriesState> evicted)
    {
        if (series.Count < max)
        {
            return true;
        }

        if (refuseWithoutScan > 0)
        {
            refuseWithoutScan--;
            return false;
        }

        var batch = Math.Max(1, max / 10);
        var victims = series.Values.Where(s => Evictable(rule, s, now))
            .OrderBy(s => s.LastSeen ?? DateTimeOffset.MinValue)
            .Take(series.Count - max + batch)
            .ToList();
        foreach (var st in victims)
        {
            series.Remove(st.Series);
        }

        evicted.AddRange(victims);
        if (series.Count < max)
        {
            return true;
        }

        refuseWithoutScan = batch;
        return false;
    }

    /// <summary>Idle and waiting for nothing: forgetting it changes nothing a user could notice but its anomaly baseline.</summary>
    internal static bool Evictable(Rule rule, SeriesState st, DateTimeOffset now) =>
        st.Phase == Phase.Idle && st.Due is null
        && (rule.Cooldown <= TimeSpan.Zero || st.LastFire is not { } fired || fired + rule.Cooldown <= now);
}
