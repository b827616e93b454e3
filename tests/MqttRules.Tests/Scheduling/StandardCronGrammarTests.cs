using System.Globalization;
using MqttRules.Scheduling;

namespace MqttRules.Tests.Scheduling;

/// <summary>The 5-field grammar of Vixie cron / cronie (crontab(5)): names, lists, ranges, steps, macros, the day rule.</summary>
public class StandardCronGrammarTests
{
    private static List<DateTimeOffset> Fires(string cron, string after, int count)
    {
        var normalized = CronSchedule.Normalize(cron, out var error);
        Assert.True(normalized is not null, error);
        var schedule = CronSchedule.Parse(normalized, TimeZoneInfo.Utc);
        var t = DateTimeOffset.Parse(after, CultureInfo.InvariantCulture);
        var fires = new List<DateTimeOffset>();
        for (var i = 0; i < count; i++)
        {
            t = schedule.NextAfter(t)!.Value;
            fires.Add(t);
        }

        return fires;
    }

    [Theory]
    // Day of month and day of week both restricted: either matches (crontab(5)).
    [InlineData("0 0 1 * MON", "2026-01-01T00:00Z", "2026-01-05T00:00Z", "2026-01-12T00:00Z", "2026-01-19T00:00Z", "2026-01-26T00:00Z", "2026-02-01T00:00Z", "2026-02-02T00:00Z")]
    [InlineData("0 12 13 * 5", "2026-02-01T00:00Z", "2026-02-06T12:00Z", "2026-02-13T12:00Z", "2026-02-20T12:00Z", "2026-02-27T12:00Z", "2026-03-06T12:00Z", "2026-03-13T12:00Z")]
    // A step is a restriction too: '*/10' with a weekday is ORed (the 1st, 11th, 21st, 31st and every Monday).
    [InlineData("0 0 */10 * 1", "2026-01-01T00:00Z", "2026-01-05T00:00Z", "2026-01-11T00:00Z", "2026-01-12T00:00Z", "2026-01-19T00:00Z", "2026-01-21T00:00Z", "2026-01-26T00:00Z")]
    // One of them is '*': the other decides.
    [InlineData("0 0 * * MON", "2026-01-01T00:00Z", "2026-01-05T00:00Z", "2026-01-12T00:00Z")]
    [InlineData("0 0 13 * *", "2026-01-01T00:00Z", "2026-01-13T00:00Z", "2026-02-13T00:00Z")]
    // Names, ranges, lists, steps; 7 is Sunday.
    [InlineData("30 8 * jan-feb sat,7", "2026-01-01T00:00Z", "2026-01-03T08:30Z", "2026-01-04T08:30Z", "2026-01-10T08:30Z")]
    [InlineData("0 9-17/4 * * MON-FRI", "2026-01-02T00:00Z", "2026-01-02T09:00Z", "2026-01-02T13:00Z", "2026-01-02T17:00Z", "2026-01-05T09:00Z")]
    [InlineData("5,10-12 0 1 1 *", "2025-12-31T00:00Z", "2026-01-01T00:05Z", "2026-01-01T00:10Z", "2026-01-01T00:11Z", "2026-01-01T00:12Z", "2027-01-01T00:05Z")]
    [InlineData("50/5 * * * *", "2026-01-01T00:00Z", "2026-01-01T00:50Z", "2026-01-01T00:55Z", "2026-01-01T01:50Z")]
    [InlineData("0 0 29 2 *", "2026-01-01T00:00Z", "2028-02-29T00:00Z", "2032-02-29T00:00Z")]
    // Macros.
    [InlineData("@hourly", "2026-01-01T00:30Z", "2026-01-01T01:00Z", "2026-01-01T02:00Z")]
    [InlineData("@daily", "2026-01-01T00:30Z", "2026-01-02T00:00Z", "2026-01-03T00:00Z")]
    [InlineData("@midnight", "2026-01-01T00:30Z", "2026-01-02T00:00Z")]
    [InlineData("@weekly", "2026-01-01T00:30Z", "2026-01-04T00:00Z", "2026-01-11T00:00Z")]
    [InlineData("@monthly", "2026-01-01T00:30Z", "2026-02-01T00:00Z", "2026-03-01T00:00Z")]
    [InlineData("@yearly", "2026-01-01T00:30Z", "2027-01-01T00:00Z")]
    [InlineData("@annually", "2026-01-01T00:30Z", "2027-01-01T00:00Z")]
    [InlineData("@DAILY", "2026-01-01T00:30Z", "2026-01-02T00:00Z")]
    public void NextAfter_Utc(string cron, string after, params string[] expected)
    {
        Assert.Equal(expected.Select(e => DateTimeOffset.Parse(e, CultureInfo.InvariantCulture)), Fires(cron, after, expected.Length));
    }

    [Theory]
    [InlineData("@reboot", "not a known macro")]
    [InlineData("@often", "not a known macro")]
    [InlineData("5-1 * * * *", "minute '5-1': range 5-1 runs backwards")]
    [InlineData("*/0 * * * *", "minute '*/0': step '0' must be a whole number of 1 or more")]
    [InlineData("60 * * * *", "minute '60': 60 is out of range: minute is 0-59")]
    [InlineData("0 24 * * *", "hour '24': 24 is out of range: hour is 0-23")]
    [InlineData("0 0 0 * *", "day of month '0': 0 is out of range: day of month is 1-31")]
    [InlineData("0 0 * 13 *", "month '13': 13 is out of range: month is 1-12")]
    [InlineData("0 0 * * 8", "day of week '8': 8 is out of range: day of week is 0-7")]
    [InlineData("0 0 * * FUN", "day of week 'FUN': 'FUN' is not a number or a name")]
    [InlineData("0 0 L * *", "'L' is Quartz syntax")]
    [InlineData("0 0 ? * *", "'?' is Quartz syntax")]
    [InlineData("0 0 * * 5#2", "Quartz syntax")]
    [InlineData("0 0 31 2 *", "never runs")]
    [InlineData("0 0 30,31 2 *", "never runs")]
    public void Normalize_Invalid_SaysWhy(string cron, string message)
    {
        Assert.Null(CronSchedule.Normalize(cron, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_Macro_IsItsFiveFields() => Assert.Equal("0 * * * *", CronSchedule.Normalize(" @hourly ", out _));
}
