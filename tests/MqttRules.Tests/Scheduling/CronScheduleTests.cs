using MqttRules.Scheduling;

namespace MqttRules.Tests.Scheduling;

public class CronScheduleTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    private static DateTimeOffset Utc(string s) => DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset? Next(string cron, string after, TimeZoneInfo? zone = null)
    {
        var quartz = CronSchedule.Normalize(cron, out var error);
        Assert.True(quartz is not null, error);
        return CronSchedule.Parse(quartz, zone ?? TimeZoneInfo.Utc).NextAfter(Utc(after));
    }

    [Theory]
    [InlineData("30 18 * * *", "2026-01-05T00:00:00Z", "2026-01-05T18:30:00Z")]          // 5 fields: minute first
    [InlineData("0 30 18 * * ?", "2026-01-05T00:00:00Z", "2026-01-05T18:30:00Z")]        // Quartz: seconds first
    [InlineData("0 30 18 * * ? 2027", "2026-01-05T00:00:00Z", "2027-01-01T18:30:00Z")]   // Quartz 7 fields: year
    [InlineData("*/15 * * * *", "2026-01-05T00:07:00Z", "2026-01-05T00:15:00Z")]
    [InlineData("0 8 * * 0", "2026-01-05T00:00:00Z", "2026-01-11T08:00:00Z")]             // 0 = Sunday
    [InlineData("0 8 * * 7", "2026-01-05T00:00:00Z", "2026-01-11T08:00:00Z")]             // 7 = Sunday too
    [InlineData("0 8 * * 1-5", "2026-01-10T00:00:00Z", "2026-01-12T08:00:00Z")]           // Mon-Fri, from a Saturday
    [InlineData("0 0 8 ? * 1", "2026-01-05T00:00:00Z", "2026-01-11T08:00:00Z")]           // Quartz: 1 = Sunday
    [InlineData("0 0 8 ? * MON-FRI", "2026-01-10T00:00:00Z", "2026-01-12T08:00:00Z")]
    [InlineData("0 0 12 L * ?", "2026-01-05T00:00:00Z", "2026-01-31T12:00:00Z")]          // last day of month
    [InlineData("0 0 9 ? * 2#1", "2026-01-05T10:00:00Z", "2026-02-02T09:00:00Z")]         // first Monday
    [InlineData("0 0 9 15W * ?", "2026-02-01T00:00:00Z", "2026-02-16T09:00:00Z")]         // weekday nearest the 15th (a Sunday)
    public void NextAfter_CronForms_FirstTimeStrictlyAfter(string cron, string after, string expected)
    {
        Assert.Equal(Utc(expected), Next(cron, after));
    }

    [Fact]
    public void NextAfter_ExactlyOnTime_IsTheNextOne()
    {
        Assert.Equal(Utc("2026-01-06T18:30:00Z"), Next("30 18 * * *", "2026-01-05T18:30:00Z"));
    }

    [Theory]
    [InlineData("* * * *")]
    [InlineData("0 0 0 0 0 0 0 0")]
    [InlineData("61 * * * *")]
    [InlineData("0 99 * * * ?")]        // Quartz itself lets this through
    [InlineData("0 0 99 * * ?")]        // so does an hour of 99
    [InlineData("0 99 * * *")]          // standard cron: hour 99
    [InlineData("99 0 * * *")]          // standard cron: minute 99
    [InlineData("0 5,70 * * * ?")]
    [InlineData("60-61 * * * * ?")]
    public void Normalize_Invalid_Error(string cron)
    {
        Assert.Null(CronSchedule.Normalize(cron, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("2026-01-05T00:00:00Z", "2026-01-05T18:30:00Z")]   // winter: GMT
    [InlineData("2026-07-06T00:00:00Z", "2026-07-06T17:30:00Z")]   // summer: BST = UTC+1
    public void NextAfter_TimeZone_LocalWallClock(string after, string expected)
    {
        Assert.Equal(Utc(expected), Next("0 30 18 * * ?", after, London));
    }

    [Fact]
    public void NextAfter_SpringForward_SkippedTimeRunsAtEndOfGap()
    {
        // 29 Mar 2026 in London: 01:00 GMT jumps to 02:00 BST; 01:30 local does not exist.
        // Quartz runs it once, at the end of the gap: 02:00 BST (01:00Z); the next day at 01:30 BST as usual.
        var next = Next("0 30 1 * * ?", "2026-03-29T00:00:00Z", London);
        var after = CronSchedule.Parse("0 30 1 * * ?", London).NextAfter(next!.Value);

        Assert.Equal(Utc("2026-03-29T01:00:00Z"), next);
        Assert.Equal(Utc("2026-03-30T00:30:00Z"), after);
    }

    [Fact]
    public void NextAfter_FallBack_RepeatedTimeRunsOnce()
    {
        // 25 Oct 2026 in London: 02:00 BST goes back to 01:00 GMT; 01:30 local happens twice.
        var first = Next("0 30 1 * * ?", "2026-10-24T23:00:00Z", London);
        var second = CronSchedule.Parse(CronSchedule.Normalize("0 30 1 * * ?", out _)!, London).NextAfter(first!.Value);

        Assert.Equal(Utc("2026-10-25T00:30:00Z"), first);       // 01:30 BST, the first occurrence
        Assert.Equal(Utc("2026-10-26T01:30:00Z"), second);      // next day's 01:30 GMT: not again at 01:30 GMT on the 25th
    }
}
