using System.Text;

namespace MqttRules.Diagnostics;

/// <summary>The series limit (<c>MQTTRULES_MAX_SERIES</c>): series kept, forgotten and refused.</summary>
public sealed partial class EngineMetrics
{
    private long seriesEvicted;
    private long seriesRefused;

    /// <summary>Set by the engine: series held in memory, all rules together.</summary>
    public Func<long> SeriesTracked { get; set; } = () => 0;

    public long SeriesEvictedTotal => Interlocked.Read(ref seriesEvicted);
    public long SeriesRefusedTotal => Interlocked.Read(ref seriesRefused);

    public void SeriesEvicted(int count) => Interlocked.Add(ref seriesEvicted, count);

    public void SeriesRefused() => Interlocked.Increment(ref seriesRefused);

    private void AppendSeries(StringBuilder sb)
    {
        Scalar(sb, "mqttrules_series", "gauge", "Series held in memory (all rules).", SeriesTracked());
        Scalar(sb, "mqttrules_series_evicted_total", "counter", "Idle series forgotten because a rule reached MQTTRULES_MAX_SERIES.", SeriesEvictedTotal);
        Scalar(sb, "mqttrules_series_refused_total", "counter", "Messages of a new series not evaluated because its rule was at MQTTRULES_MAX_SERIES with no idle series to forget.", SeriesRefusedTotal);
    }
}
