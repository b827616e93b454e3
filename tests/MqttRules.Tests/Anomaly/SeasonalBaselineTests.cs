using MqttRules.Rules;
using MqttRules.State.Anomaly;
using MqttRules.Values;

namespace MqttRules.Tests.Anomaly;

public class SeasonalBaselineTests
{
    private static readonly DateTimeOffset Monday = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static AnomalySpec Spec(int minSamples = 2, string window = "28d") => new()
    {
        Method = AnomalyMethod.Seasonal,
        Window = Durations.TryParse(window, out var w) ? w : throw new ArgumentException(window),
        MinSamples = minSamples,
    };

    [Theory]
    [InlineData("2026-01-05T00:00:00Z", "UTC", 0)]                      // Monday 00:00
    [InlineData("2026-01-05T08:59:59Z", "UTC", 8)]
    [InlineData("2026-01-11T23:30:00Z", "UTC", 167)]                    // Sunday 23:30
    [InlineData("2026-01-05T13:00:00Z", "America/New_York", 8)]         // 08:00 EST
    [InlineData("2026-01-05T03:00:00Z", "America/New_York", 166)]       // Sunday 22:00 EST
    [InlineData("2026-07-06T07:00:00Z", "Europe/London", 8)]            // 08:00 BST
    [InlineData("2026-10-25T00:30:00Z", "Europe/London", 145)]          // Sunday 01:30 BST, before fall-back
    [InlineData("2026-10-25T01:30:00Z", "Europe/London", 145)]          // Sunday 01:30 GMT, the repeated hour
    [InlineData("2026-03-29T01:30:00Z", "Europe/London", 146)]          // spring-forward: 01:00 GMT becomes 02:00 BST
    public void Locate_UtcTime_HourOfWeekInRuleZone(string utc, string zone, int hourOfWeek)
    {
        var b = new SeasonalBaseline(Spec(), TimeZoneInfo.FindSystemTimeZoneById(zone));

        Assert.Equal(hourOfWeek, b.Locate(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)).Hour);
    }

    [Fact]
    public void Score_SameHourOfWeek_LearnedValues()
    {
        var b = Baselines.Create(Spec(), TimeZoneInfo.Utc);
        for (var week = 0; week < 3; week++)
        {
            b.Learn(10, Monday.AddDays(7 * week).AddHours(8));
            b.Learn(12, Monday.AddDays(7 * week).AddHours(8).AddMinutes(30));
            b.Learn(100, Monday.AddDays(7 * week).AddHours(9)); // Monday 09:00: another bucket
        }

        var s = b.Score(15, Monday.AddDays(21).AddHours(8).AddMinutes(10));

        Assert.True(s.Ready);
        Assert.Equal(11, s.Mean, 9);
        Assert.Equal(1, s.Stddev, 6);
        Assert.Equal(4, s.Z, 5);
    }

    [Fact]
    public void Score_OtherHourOrDay_NothingLearned()
    {
        var b = Baselines.Create(Spec(minSamples: 1), TimeZoneInfo.Utc);
        b.Learn(10, Monday.AddHours(8));

        Assert.False(b.Score(10, Monday.AddHours(9)).Ready);
        Assert.False(b.Score(10, Monday.AddDays(1).AddHours(8)).Ready); // Tuesday 08:00
        Assert.True(b.Score(10, Monday.AddDays(7).AddHours(8)).Ready);
    }

    [Fact]
    public void Score_MinSamples_CountsPerBucket()
    {
        var b = Baselines.Create(Spec(minSamples: 3), TimeZoneInfo.Utc);
        for (var h = 0; h < 168; h++)
        {
            b.Learn(1, Monday.AddHours(h)); // one sample in every bucket: 168 in all
        }

        b.Learn(1, Monday.AddDays(7));
        Assert.False(b.Score(1, Monday.AddDays(7).AddMinutes(5)).Ready);

        b.Learn(1, Monday.AddDays(7).AddMinutes(1));
        Assert.True(b.Score(1, Monday.AddDays(7).AddMinutes(5)).Ready);
    }

    [Theory]
    [InlineData("28d", 4, 5)]   // the same hour in each of the last 4 weeks, plus the hour so far
    [InlineData("14d", 2, 3)]
    [InlineData("7d", 1, 2)]
    [InlineData("1d", 1, 2)]    // under a week still compares with last week's hour
    public void Score_Window_KeepsWholeWeeks(string window, int keptWeeks, int forgottenAfterWeeks)
    {
        var b = Baselines.Create(Spec(minSamples: 1, window: window), TimeZoneInfo.Utc);
        b.Learn(42, Monday.AddHours(8));

        Assert.True(b.Score(0, Monday.AddDays(7 * keptWeeks).AddHours(8)).Ready);
        Assert.False(b.Score(0, Monday.AddDays(7 * forgottenAfterWeeks).AddHours(8)).Ready);
    }

    [Fact]
    public void Score_RuleZone_BucketsFollowLocalClockAcrossDst()
    {
        var b = Baselines.Create(Spec(minSamples: 1), London);
        b.Learn(5, new DateTimeOffset(2026, 3, 23, 8, 0, 0, TimeSpan.Zero));  // Monday 08:00 GMT

        var afterDst = new DateTimeOffset(2026, 3, 30, 7, 0, 0, TimeSpan.Zero); // Monday 08:00 BST
        Assert.True(b.Score(5, afterDst).Ready);
        Assert.False(b.Score(5, afterDst.AddHours(1)).Ready);
    }

    [Fact]
    public void Score_ZoneFromRule_NewYorkMorning()
    {
        var b = Baselines.Create(Spec(minSamples: 1), NewYork);
        b.Learn(3, new DateTimeOffset(2026, 1, 5, 13, 0, 0, TimeSpan.Zero)); // Monday 08:00 in New York

        Assert.False(b.Score(3, new DateTimeOffset(2026, 1, 12, 8, 0, 0, TimeSpan.Zero)).Ready); // 03:00 in New York
        Assert.True(b.Score(3, new DateTimeOffset(2026, 1, 12, 13, 59, 0, TimeSpan.Zero)).Ready);
    }

    [Fact]
    public void Save_Load_RoundTripAndZoneChange()
    {
        var spec = Spec();
        var b = Baselines.Create(spec, London);
        for (var i = 0; i < 500; i++)
        {
            b.Learn(i % 7, Monday.AddMinutes(37 * i));
        }

        var json = b.Save();
        var restored = Baselines.Load(spec, London, json)!;

        var at = Monday.AddMinutes(37 * 500);
        Assert.Equal(b.Score(3, at), restored.Score(3, at));
        Assert.Null(Baselines.Load(spec, NewYork, json));
        Assert.Null(Baselines.Load(spec with { Window = TimeSpan.FromDays(14) }, London, json));
    }
}
