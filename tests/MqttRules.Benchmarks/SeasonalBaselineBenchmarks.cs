using BenchmarkDotNet.Attributes;
using MqttRules.Rules;
using MqttRules.State;
using MqttRules.State.Anomaly;

namespace MqttRules.Benchmarks;

/// <summary>
/// Seasonal baselines at scale (issue 5): 100,000 series, each with every hour-of-week slot of a
/// 28-day window filled. Time per message (score then learn, as the engine does) and per
/// save/load; <see cref="MeasureMemory"/> gives the retained bytes per series. Results in
/// docs/benchmarks-anomaly.md.
/// </summary>
[MemoryDiagnoser]
public class SeasonalBaselineBenchmarks
{
    public const int SeriesCount = 100_000;
    private static readonly AnomalySpec Spec = new() { Method = AnomalyMethod.Seasonal, Window = TimeSpan.FromDays(28), Threshold = 3, MinSamples = 12 };
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private IBaseline[] baselines = [];
    private string saved = "";
    private DateTimeOffset now;

    [GlobalSetup]
    public void Setup()
    {
        baselines = Filled(SeriesCount);
        now = Start.AddDays(35);
        saved = baselines[0].Save();
    }

    /// <summary>One message for every series: score it, then learn it.</summary>
    [Benchmark(OperationsPerInvoke = SeriesCount)]
    public double ScoreThenLearn()
    {
        now = now.AddSeconds(1);
        var z = 0.0;
        for (var i = 0; i < baselines.Length; i++)
        {
            var value = 5 + (i % 7);
            z += baselines[i].Score(value, now).Z;
            baselines[i].Learn(value, now);
        }

        return z;
    }

    /// <summary>Saving one full baseline as JSON (what the state store persists).</summary>
    [Benchmark]
    public string Save() => baselines[1].Save();

    /// <summary>Restoring one full baseline from JSON (start-up).</summary>
    [Benchmark]
    public IBaseline? Load() => Baselines.Load(Spec, Zone, saved);

    /// <summary>One series' baseline from nothing to full: MemoryDiagnoser's "Allocated" is its size.</summary>
    [Benchmark]
    public IBaseline CreateAndFillOne() => Filled(1)[0];

    /// <summary>Creates <paramref name="count"/> baselines with every slot of the window in use.</summary>
    public static IBaseline[] Filled(int count)
    {
        var all = new IBaseline[count];
        for (var i = 0; i < count; i++)
        {
            all[i] = Baselines.Create(Spec, Zone);
        }

        // one reading an hour for 5 weeks fills all 168 x 5 slots of a 28d window
        for (var h = 0; h < 35 * 24; h++)
        {
            var t = Start.AddHours(h);
            for (var i = 0; i < count; i++)
            {
                all[i].Learn((h % 24) + (i % 3), t);
            }
        }

        return all;
    }

    /// <summary>Retained managed bytes per filled series, and the size of its saved JSON.</summary>
    public static (double BytesPerSeries, int JsonChars) MeasureMemory(int count = SeriesCount)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var all = Filled(count);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var json = all[0].Save().Length;
        GC.KeepAlive(all);
        return ((after - before) / (double)count, json);
    }
}
