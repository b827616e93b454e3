using MqttRules.Scheduling;

namespace MqttRules.Tests.Scheduling;

/// <summary>The cron grammar: 5 fields standard (0 or 7 = Sunday), 6/7 fields Quartz (1 = Sunday) (SPEC §5).</summary>
public class CronGrammarTests
{
    private static readonly DateTimeOffset NewYear = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("30 18 * * *", "2026-01-01T18:30:00Z")]
    [InlineData("*/15 * * * *", "2026-01-01T00:15:00Z")]
    [InlineData("0 9 * * 1", "2026-01-05T09:00:00Z")]
    [InlineData("0 9 * * 0", "2026-01-04T09:00:00Z")]
    [InlineData("0 9 * * 7", "2026-01-04T09:00:00Z")]
    [InlineData("0 9 * * 1-5", "2026-01-01T09:00:00Z")]
    [InlineData("0 0 1 2 *", "2026-02-01T00:00:00Z")]
    [InlineData("0 30 18 * * ?", "2026-01-01T18:30:00Z")]
    [InlineData("15 * * * * ?", "2026-01-01T00:00:15Z")]
    [InlineData("0 0 9 ? * 2", "2026-01-05T09:00:00Z")]
    [InlineData("0 0 9 ? * 1", "2026-01-04T09:00:00Z")]
    [InlineData("0 0 9 ? * MON", "2026-01-05T09:00:00Z")]
    [InlineData("0 0 12 L * ?", "2026-01-31T12:00:00Z")]
    [InlineData("0 0 12 ? * 6#2", "2026-01-09T12:00:00Z")]
    [InlineData("0 0 12 17W * ?", "2026-01-16T12:00:00Z")]
    [InlineData("0 0 0 1 1 ? 2027", "2027-01-01T00:00:00Z")]
    public void NextAfter_Utc_FirstTimeAfterNewYear(string cron, string expected)
    {
        var quartz = CronSchedule.Normalize(cron, out var error);
        Assert.Null(error);
        var next = CronSchedule.Parse(quartz!, TimeZoneInfo.Utc).NextAfter(NewYear);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Theory]
    [InlineData("2026-01-10T00:00:00Z", "2026-01-10T18:30:00Z")]
    [InlineData("2026-07-10T00:00:00Z", "2026-07-10T17:30:00Z")]
    public void NextAfter_TimeZone_LocalWallClock(string from, string expected)
    {
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        var schedule = CronSchedule.Parse(CronSchedule.Normalize("30 18 * * *", out _)!, london);
        var start = DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), schedule.NextAfter(start));
    }

    [Fact]
    public void NextAfter_ExactlyOnATick_IsStrictlyAfter()
    {
        var schedule = CronSchedule.Parse(CronSchedule.Normalize("0 * * * *", out _)!, TimeZoneInfo.Utc);
        Assert.Equal(NewYear.AddHours(1), schedule.NextAfter(NewYear));
    }

    [Theory]
    [InlineData("61 * * * *")]
    [InlineData("* * *")]
    [InlineData("* * * *")]
    [InlineData("0 0 25 * * ?")]
    [InlineData("a b c d e")]
    [InlineData("0 0 0 1 1 ? 2027 extra")]
    [InlineData("")]
    public void Normalize_Invalid_ErrorMessage(string cron)
    {
        Assert.Null(CronSchedule.Normalize(cron, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
