using MqttRules.Expressions;
using MqttRules.Values;

namespace MqttRules.History;

/// <summary>Count, sum, min and max of the numbers in one time bucket.</summary>
internal struct BucketStats
{
    public long Count;
    public double Sum;
    public double Min;
    public double Max;

    public void Add(double x)
    {
        Min = Count == 0 ? x : Math.Min(Min, x);
        Max = Count == 0 ? x : Math.Max(Max, x);
        Count++;
        Sum += x;
    }

    public void Merge(in BucketStats other)
    {
        if (other.Count == 0)
        {
            return;
        }

        Min = Count == 0 ? other.Min : Math.Min(Min, other.Min);
        Max = Count == 0 ? other.Max : Math.Max(Max, other.Max);
        Count += other.Count;
        Sum += other.Sum;
    }
}

/// <summary>
/// The numbers of one history series over its longest window, in a ring of fixed-width time
/// buckets aligned to the Unix epoch: width = longest window / 1440, rounded up to whole seconds
/// (1 minute for 24h). A window's start is rounded down to a bucket boundary, so a query at a
/// bucket boundary over a whole number of buckets (21:00 over '24h') is exact.
/// </summary>
internal sealed class TimeBuckets
{
    public const int Resolution = 1440;

    public TimeBuckets(TimeSpan longest)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(longest.TotalSeconds / Resolution));
        Width = seconds * TimeSpan.TicksPerSecond;
        var count = (int)((longest.Ticks + Width - 1) / Width) + 1;
        Keys = new long[count];
        Stats = new BucketStats[count];
    }

    public long Width { get; }
    public long[] Keys { get; }
    public BucketStats[] Stats { get; }

    public void Add(long utcTicks, double x)
    {
        var key = utcTicks / Width;
        var slot = (int)(key % Keys.Length);
        if (Keys[slot] != key || Stats[slot].Count == 0)
        {
            Keys[slot] = key;
            Stats[slot] = default;
        }

        Stats[slot].Add(x);
    }

    public Value Aggregate(Aggregate aggregate, long utcTicks, TimeSpan window)
    {
        var to = utcTicks / Width;
        var from = Math.Max((utcTicks - window.Ticks) / Width, to - Keys.Length + 1);
        var total = default(BucketStats);
        for (var i = 0; i < Keys.Length; i++)
        {
            if (Keys[i] >= from && Keys[i] <= to)
            {
                total.Merge(Stats[i]);
            }
        }

        return aggregate switch
        {
            Expressions.Aggregate.Count => Value.Of(total.Count),
            Expressions.Aggregate.Sum => Value.Of(total.Sum),
            _ when total.Count == 0 => Value.Missing,
            Expressions.Aggregate.Avg => Value.Of(total.Sum / total.Count),
            Expressions.Aggregate.Min => Value.Of(total.Min),
            _ => Value.Of(total.Max),
        };
    }
}
