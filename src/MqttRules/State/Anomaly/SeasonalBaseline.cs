using MqttRules.Rules;

namespace MqttRules.State.Anomaly;

/// <summary>
/// <c>method: seasonal</c>: one baseline per hour of the week (168, Monday 00:00 first) in the
/// rule's time zone. An hour-of-week recurs once a week, so each keeps one slot per week: the
/// current hour so far plus the same hour in each of the last ceil(window / 7d) weeks (4 for the
/// default 28d). <c>min_samples</c> counts within the hour's own baseline. At a fall-back the
/// repeated local hour is one bucket; at a spring-forward the skipped hour gets nothing that week.
/// </summary>
internal sealed class SeasonalBaseline : IBaseline
{
    public const int HoursPerWeek = 168;
    private readonly AnomalySpec spec;
    private readonly TimeZoneInfo zone;
    private readonly int weeks;
    private readonly int[] keys;
    private readonly RunningStats[] stats;
    private long last;

    // Locate's last answer, for the UTC quarter hour it holds in: every zone's offset and
    // transitions are multiples of 15 minutes, so a local hour never starts inside one.
    private long cachedQuarter = -1;
    private int cachedHour;
    private int cachedWeek;

    public SeasonalBaseline(AnomalySpec spec, TimeZoneInfo zone)
    {
        this.spec = spec;
        this.zone = zone;
        weeks = WeeksFor(spec.Window);
        keys = new int[HoursPerWeek * (weeks + 1)];
        stats = new RunningStats[keys.Length];
    }

    /// <summary>How many past weeks a window keeps (at least one).</summary>
    public static int WeeksFor(TimeSpan window) => Math.Max(1, (int)Math.Ceiling(window.TotalDays / 7));

    public AnomalyScore Score(double value, DateTimeOffset now)
    {
        var (hour, week) = Locate(now);
        var total = default(RunningStats);
        var first = hour * (weeks + 1);
        for (var i = first; i <= first + weeks; i++)
        {
            if (stats[i].Count > 0 && keys[i] >= week - weeks && keys[i] <= week)
            {
                total.Merge(stats[i]);
            }
        }

        return Scoring.Score(value, total, spec.MinStddev, spec.MinSamples);
    }

    public void Learn(double value, DateTimeOffset now)
    {
        var (hour, week) = Locate(now);
        var slot = (hour * (weeks + 1)) + (week % (weeks + 1));
        if (keys[slot] != week || stats[slot].Count == 0)
        {
            keys[slot] = week;
            stats[slot] = default;
        }

        stats[slot].Add(value);
    }

    public string Save() =>
        BaselineJson.FromSlots("seasonal", spec.Window.Ticks, zone.Id, last, i => keys[i], stats).Serialize();

    public static SeasonalBaseline? Load(AnomalySpec spec, TimeZoneInfo zone, BaselineJson saved)
    {
        var b = new SeasonalBaseline(spec, zone);
        var keys = new long[b.keys.Length];
        if (saved.Method != "seasonal" || saved.WindowTicks != spec.Window.Ticks || saved.Zone != zone.Id
            || !saved.RestoreSlots(keys, b.stats) || Array.Exists(keys, k => k is < 0 or > int.MaxValue))
        {
            return null;
        }

        Array.Copy(Array.ConvertAll(keys, k => (int)k), b.keys, keys.Length);
        b.last = saved.LastTicks;
        return b;
    }

    /// <summary>Hour of the week (0 = Monday 00:00) and week number of a time, in the rule's zone.</summary>
    internal (int Hour, int Week) Locate(DateTimeOffset now)
    {
        last = Math.Max(last, now.UtcTicks);
        var quarter = last / (TimeSpan.TicksPerMinute * 15);
        if (quarter != cachedQuarter)
        {
            var local = TimeZoneInfo.ConvertTime(new DateTimeOffset(last, TimeSpan.Zero), zone).DateTime;
            var days = local.Ticks / TimeSpan.TicksPerDay; // day 0, 0001-01-01, is a Monday
            (cachedQuarter, cachedHour, cachedWeek) = (quarter, (int)(days % 7 * 24) + local.Hour, (int)(days / 7));
        }

        return (cachedHour, cachedWeek);
    }
}
