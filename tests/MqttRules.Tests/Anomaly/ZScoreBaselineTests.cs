using MqttRules.Rules;
using MqttRules.State;
using MqttRules.State.Anomaly;
using MqttRules.Values;

namespace MqttRules.Tests.Anomaly;

public class ZScoreBaselineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static AnomalySpec Spec(int minSamples = 3, double minStddev = 0, string window = "64m") => new()
    {
        Method = AnomalyMethod.ZScore,
        Window = Durations.TryParse(window, out var w) ? w : throw new ArgumentException(window),
        MinSamples = minSamples,
        MinStddev = minStddev,
    };

    private static IBaseline Learned(AnomalySpec spec, params double[] values)
    {
        var b = Baselines.Create(spec, TimeZoneInfo.Utc);
        for (var i = 0; i < values.Length; i++)
        {
            b.Learn(values[i], T0.AddSeconds(i));
        }

        return b;
    }

    [Fact]
    public void Score_PopulationStatistics_MeanAndPopulationStddev()
    {
        var b = Learned(Spec(), 2, 4, 4, 4, 5, 5, 7, 9);

        var s = b.Score(9, T0.AddMinutes(1));

        Assert.Equal(5, s.Mean, 12);
        Assert.Equal(2, s.Stddev, 6);
        Assert.Equal(2, s.Z, 6);
        Assert.True(s.Ready);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    public void Score_WarmUp_ReadyOnlyFromMinSamples(int learned, bool ready)
    {
        var b = Learned(Spec(minSamples: 3), Enumerable.Repeat(1.0, learned).ToArray());

        Assert.Equal(ready, b.Score(100, T0.AddMinutes(1)).Ready);
    }

    [Fact]
    public void Score_Empty_ZeroAndNotReady()
    {
        var s = Baselines.Create(Spec(), TimeZoneInfo.Utc).Score(42, T0);

        Assert.Equal(new AnomalyScore(0, 0, 0, false), s);
    }

    [Theory]
    [InlineData(12.3, 0.0)]
    [InlineData(12.300001, double.PositiveInfinity)]
    [InlineData(12.299999, double.NegativeInfinity)]
    public void Score_ConstantSignal_EqualIsZeroAnyDeviationInfinite(double value, double z)
    {
        var b = Learned(Spec(), Enumerable.Repeat(12.3, 50).ToArray());

        var s = b.Score(value, T0.AddMinutes(1));

        Assert.Equal(0, s.Stddev);
        Assert.Equal(z, s.Z);
    }

    [Fact]
    public void Score_MinStddev_FloorsTheStddev()
    {
        var b = Learned(Spec(minStddev: 0.5), Enumerable.Repeat(10.0, 20).ToArray());

        var s = b.Score(12, T0.AddMinutes(1));

        Assert.Equal(0.5, s.Stddev);
        Assert.Equal(4, s.Z, 9);
    }

    [Fact]
    public void Score_AfterWindow_OldValuesForgotten()
    {
        var spec = Spec(minSamples: 1);
        var b = Baselines.Create(spec, TimeZoneInfo.Utc);
        b.Learn(100, T0);
        b.Learn(10, T0.AddMinutes(30));

        Assert.Equal(55, b.Score(0, T0.AddMinutes(63).AddSeconds(59)).Mean, 9); // 64m window, buckets of 1m
        Assert.Equal(10, b.Score(0, T0.AddMinutes(64)).Mean, 9);
        Assert.False(b.Score(0, T0.AddMinutes(94)).Ready);
    }

    [Fact]
    public void Score_GapLongerThanWindow_WarmsUpAgain()
    {
        var b = Learned(Spec(minSamples: 3), 1, 2, 3);
        Assert.True(b.Score(2, T0.AddMinutes(1)).Ready);

        b.Learn(5, T0.AddHours(3));

        var s = b.Score(5, T0.AddHours(3).AddSeconds(1));
        Assert.False(s.Ready);
        Assert.Equal(5, s.Mean);
    }

    [Fact]
    public void Score_ClockJumpsBack_TimeHeldAtLatest()
    {
        var b = Baselines.Create(Spec(minSamples: 1), TimeZoneInfo.Utc);
        b.Learn(10, T0.AddHours(1));

        b.Learn(20, T0); // an hour in the past: counted as "now" (T0 + 1h), not lost and not in the future

        Assert.Equal(15, b.Score(0, T0.AddHours(1).AddMinutes(1)).Mean, 9);
    }

    [Fact]
    public void Score_ManyMessages_MemoryStaysBounded()
    {
        var b = Baselines.Create(Spec(minSamples: 1, window: "1h"), TimeZoneInfo.Utc);
        for (var i = 0; i < 100_000; i++)
        {
            b.Learn(i % 10, T0.AddSeconds(i));
        }

        Assert.True(b.Save().Length < 10_000);
        Assert.Equal(4.5, b.Score(0, T0.AddSeconds(100_000)).Mean, 1);
    }

    [Fact]
    public void Save_Load_RoundTrip_ScoresTheSame()
    {
        var spec = Spec();
        var b = Learned(spec, 3, 1, 4, 1, 5, 9, 2, 6);

        var restored = Baselines.Load(spec, TimeZoneInfo.Utc, b.Save());

        Assert.NotNull(restored);
        var at = T0.AddMinutes(2);
        Assert.Equal(b.Score(7, at).Z, restored.Score(7, at).Z, 5);
        Assert.Equal(b.Save(), restored.Save());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"v\":2}")]
    [InlineData("{\"v\":1,\"method\":\"zscore\",\"window\":1,\"data\":\"AAAA\"}")]
    public void Load_Unreadable_Null(string json)
    {
        Assert.Null(Baselines.Load(Spec(), TimeZoneInfo.Utc, json));
    }

    [Fact]
    public void Load_WindowOrMethodChanged_StartsAfresh()
    {
        var saved = Learned(Spec(window: "1h"), 1, 2, 3).Save();

        Assert.Null(Baselines.Load(Spec(window: "2h"), TimeZoneInfo.Utc, saved));
        Assert.Null(Baselines.Load(Spec() with { Method = AnomalyMethod.Seasonal, Window = TimeSpan.FromHours(1) }, TimeZoneInfo.Utc, saved));
    }

    [Fact]
    public void Load_SlotOutsideTheRing_Null()
    {
        var data = new byte[28];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(data, 64); // the ring has slots 0-63
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(12), 1);
        var json = $$"""{"v":1,"method":"zscore","window":{{TimeSpan.FromMinutes(64).Ticks}},"data":"{{Convert.ToBase64String(data)}}"}""";

        Assert.Null(Baselines.Load(Spec(), TimeZoneInfo.Utc, json));
    }
}
