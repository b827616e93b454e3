using MqttRules.Rules;
using MqttRules.State.Anomaly;

namespace MqttRules.Tests.Anomaly;

public class EwmaBaselineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static AnomalySpec Spec(int minSamples = 2, double minStddev = 0) => new()
    {
        Method = AnomalyMethod.Ewma,
        HalfLife = TimeSpan.FromHours(1),
        MinSamples = minSamples,
        MinStddev = minStddev,
    };

    [Fact]
    public void Score_OneHalfLifeLater_OldValueWeighsHalf()
    {
        var b = Baselines.Create(Spec(), TimeZoneInfo.Utc);
        b.Learn(0, T0);
        b.Learn(10, T0.AddHours(1));

        var s = b.Score(10, T0.AddHours(1));

        // weights 0.5 and 1: mean 10/1.5, variance (0.5·(20/3)² + (10/3)²)/1.5
        Assert.Equal(20.0 / 3, s.Mean, 9);
        Assert.Equal(Math.Sqrt(200.0 / 9), s.Stddev, 9);
    }

    [Fact]
    public void Score_BurstOfMessages_DecaysByTimeNotCount()
    {
        var b = Baselines.Create(Spec(), TimeZoneInfo.Utc);
        b.Learn(0, T0);
        for (var i = 0; i < 100; i++)
        {
            b.Learn(10, T0.AddHours(1)); // all at the same instant: no decay between them
        }

        Assert.Equal(1000.0 / 100.5, b.Score(0, T0.AddHours(1)).Mean, 9);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void Score_WarmUp_ReadyFromMinSamples(int learned, bool ready)
    {
        var b = Baselines.Create(Spec(minSamples: 2), TimeZoneInfo.Utc);
        for (var i = 0; i < learned; i++)
        {
            b.Learn(5, T0.AddMinutes(i));
        }

        Assert.Equal(ready, b.Score(5, T0.AddMinutes(5)).Ready);
    }

    [Theory]
    [InlineData(7.0, 0.0)]
    [InlineData(7.5, double.PositiveInfinity)]
    [InlineData(6.5, double.NegativeInfinity)]
    public void Score_ConstantSignal_ZeroStddev(double value, double z)
    {
        var b = Baselines.Create(Spec(), TimeZoneInfo.Utc);
        for (var i = 0; i < 20; i++)
        {
            b.Learn(7, T0.AddMinutes(i));
        }

        Assert.Equal(z, b.Score(value, T0.AddHours(1)).Z);
    }

    [Fact]
    public void Score_MinStddev_Floors()
    {
        var b = Baselines.Create(Spec(minStddev: 2), TimeZoneInfo.Utc);
        b.Learn(7, T0);
        b.Learn(7, T0.AddMinutes(1));

        Assert.Equal(1.5, b.Score(10, T0.AddMinutes(2)).Z, 9);
    }

    [Fact]
    public void Learn_ClockJumpsBack_NoNegativeDecay()
    {
        var b = Baselines.Create(Spec(), TimeZoneInfo.Utc);
        b.Learn(0, T0.AddHours(1));
        b.Learn(10, T0);

        Assert.Equal(5, b.Score(0, T0.AddHours(1)).Mean, 9);
    }

    [Fact]
    public void Save_Load_RoundTrip()
    {
        var spec = Spec();
        var b = Baselines.Create(spec, TimeZoneInfo.Utc);
        b.Learn(3, T0);
        b.Learn(8, T0.AddMinutes(20));
        b.Learn(5, T0.AddMinutes(50));

        var restored = Baselines.Load(spec, TimeZoneInfo.Utc, b.Save())!;
        restored.Learn(6, T0.AddHours(2));
        b.Learn(6, T0.AddHours(2));

        Assert.Equal(b.Score(9, T0.AddHours(2)), restored.Score(9, T0.AddHours(2)));
        Assert.Null(Baselines.Load(spec with { HalfLife = TimeSpan.FromHours(2) }, TimeZoneInfo.Utc, b.Save()));
    }
}
