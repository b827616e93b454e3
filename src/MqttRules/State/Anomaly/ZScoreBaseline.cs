using MqttRules.Rules;

namespace MqttRules.State.Anomaly;

/// <summary>
/// <c>method: zscore</c>: mean and standard deviation over a sliding time window, kept as 64 time
/// buckets of <c>window/64</c> (count, mean, M2 each), so memory is fixed whatever the message
/// rate. Values leave the window in steps of one bucket: the window covers between 63/64 of
/// <c>window</c> and all of it.
/// </summary>
internal sealed class ZScoreBaseline : IBaseline
{
    public const int Buckets = 64;
    private readonly AnomalySpec settings;
    private readonly long width;
    private readonly long[] keys = new long[Buckets];
    private readonly RunningStats[] stats = new RunningStats[Buckets];
    private long last;

    public ZScoreBaseline(AnomalySpec settings)
    {
        this.settings = settings;
        width = Math.Max(1, settings.Window.Ticks / Buckets);
    }

    public AnomalyScore Score(double value, DateTimeOffset now)
    {
        var current = Bucket(now);
        var total = default(RunningStats);
        for (var i = 0; i < Buckets; i++)
        {
            if (stats[i].Count > 0 && keys[i] > current - Buckets && keys[i] <= current)
            {
                total.Merge(stats[i]);
            }
        }

        return Scoring.Score(value, total, settings.MinStddev, settings.MinSamples);
    }

    public void Learn(double value, DateTimeOffset now)
    {
        var key = Bucket(now);
        var slot = (int)(key % Buckets);
        if (keys[slot] != key || stats[slot].Count == 0)
        {
            keys[slot] = key;
            stats[slot] = default;
        }

        stats[slot].Add(value);
    }

    public string Save() => BaselineJson.FromSlots("zscore", settings.Window.Ticks, null, last, i => keys[i], stats).Serialize();

    public static ZScoreBaseline? Load(AnomalySpec settings, BaselineJson saved)
    {
        var b = new ZScoreBaseline(settings);
        if (saved.Method != "zscore" || saved.WindowTicks != settings.Window.Ticks || !saved.RestoreSlots(b.keys, b.stats))
        {
            return null;
        }

        b.last = saved.LastTicks;
        return b;
    }

    /// <summary>The bucket of a time; a clock that jumps back is held at the latest time seen.</summary>
    private long Bucket(DateTimeOffset now)
    {
        last = Math.Max(last, now.UtcTicks);
        return last / width;
    }
}
