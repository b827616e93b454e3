using System.Globalization;
using MqttRules.Scheduling;

namespace MqttRules.Tests.Scheduling;

/// <summary>
/// 5-field cron fire times across daylight-saving changes, as cronie/Vixie cron runs them: a
/// fixed-time job (minute and hour without <c>*</c>) whose time is skipped runs once at the gap's
/// end and runs only at the first occurrence of a repeated time; a wildcard job (<c>7 * * * *</c>,
/// <c>*/20 2 * * *</c>) runs at the wall-clock times that exist, every real occurrence.
/// Each row: zone, cron, then the expected fire times in order (local time with offset); the
/// sequence starts one second before the first.
/// </summary>
public class StandardCronDstTests
{
    private static List<string> Fires(string zoneId, string cron, string first, int count)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var normalized = CronSchedule.Normalize(cron, out var error);
        Assert.True(normalized is not null, error);
        var schedule = CronSchedule.Parse(normalized, zone);
        var t = DateTimeOffset.Parse(first, CultureInfo.InvariantCulture).AddSeconds(-1);
        var fires = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var next = schedule.NextAfter(t);
            Assert.True(next is not null, $"no fire after {t:o}");
            t = next.Value;
            fires.Add(TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-ddTHH:mmzzz", CultureInfo.InvariantCulture));
        }

        return fires;
    }

    private static void AssertFires(string zone, string cron, string[] expected) =>
        Assert.Equal(expected, Fires(zone, cron, expected[0], expected.Length));

    /// <summary>
    /// Rows from Dagster's cron_string_iterator DST tables (dagster-io/dagster,
    /// python_modules/dagster/dagster_tests/scheduler_tests/test_cron_string_iterator.py, DST_PARAMS),
    /// the rows where Dagster agrees with cron: spring-forward gaps, wildcard jobs in the autumn
    /// overlap, and times the changes do not touch. (For a fixed time inside the autumn overlap Dagster
    /// picks the second occurrence; cron, and this engine, the first — see the rows below.)
    /// </summary>
    [Theory]
    [InlineData("Australia/Lord_Howe", "0 2 * * *", "2023-09-29T02:00+10:30", "2023-09-30T02:00+10:30", "2023-10-01T02:30+11:00", "2023-10-02T02:00+11:00", "2023-10-03T02:00+11:00")]
    [InlineData("Europe/Berlin", "45 * * * *", "2023-10-29T00:45+02:00", "2023-10-29T01:45+02:00", "2023-10-29T02:45+02:00", "2023-10-29T02:45+01:00", "2023-10-29T03:45+01:00")]
    [InlineData("Europe/Berlin", "0 * * * *", "2023-10-29T00:00+02:00", "2023-10-29T01:00+02:00", "2023-10-29T02:00+02:00", "2023-10-29T02:00+01:00", "2023-10-29T03:00+01:00")]
    [InlineData("Europe/Berlin", "45 1 * * *", "2023-10-27T01:45+02:00", "2023-10-28T01:45+02:00", "2023-10-29T01:45+02:00", "2023-10-30T01:45+01:00", "2023-10-31T01:45+01:00")]
    [InlineData("Europe/Berlin", "0 3 * * *", "2023-10-27T03:00+02:00", "2023-10-28T03:00+02:00", "2023-10-29T03:00+01:00", "2023-10-30T03:00+01:00")]
    [InlineData("Europe/Berlin", "0 3 * * 0", "2023-10-15T03:00+02:00", "2023-10-22T03:00+02:00", "2023-10-29T03:00+01:00", "2023-11-05T03:00+01:00")]
    [InlineData("US/Central", "45 0 5 * *", "2023-09-05T00:45-05:00", "2023-10-05T00:45-05:00", "2023-11-05T00:45-05:00", "2023-12-05T00:45-06:00", "2024-01-05T00:45-06:00")]
    [InlineData("Europe/Berlin", "0 1 * * *", "2023-03-25T01:00+01:00", "2023-03-26T01:00+01:00", "2023-03-27T01:00+02:00")]
    [InlineData("Europe/Berlin", "0 2 * * *", "2023-03-24T02:00+01:00", "2023-03-25T02:00+01:00", "2023-03-26T03:00+02:00", "2023-03-27T02:00+02:00", "2023-03-28T02:00+02:00")]
    [InlineData("Europe/Berlin", "30 2 * * *", "2023-03-24T02:30+01:00", "2023-03-25T02:30+01:00", "2023-03-26T03:00+02:00", "2023-03-27T02:30+02:00", "2023-03-28T02:30+02:00")]
    [InlineData("Europe/Berlin", "0 3 * * *", "2023-03-25T03:00+01:00", "2023-03-26T03:00+02:00", "2023-03-27T03:00+02:00")]
    [InlineData("Europe/Berlin", "30 2 * * 0", "2023-03-12T02:30+01:00", "2023-03-19T02:30+01:00", "2023-03-26T03:00+02:00", "2023-04-02T02:30+02:00")]
    [InlineData("Europe/Berlin", "0 2 26 * *", "2023-01-26T02:00+01:00", "2023-02-26T02:00+01:00", "2023-03-26T03:00+02:00", "2023-04-26T02:00+02:00", "2023-05-26T02:00+02:00")]
    public void NextAfter_DagsterDstTable(string zone, string cron, params string[] expected) => AssertFires(zone, cron, expected);

    /// <summary>The cases cron gets right and Quartz did not, in three zones (Lord Howe moves its clocks by 30 minutes).</summary>
    [Theory]
    // Spring gap, every hour: no extra run at the gap's end (Quartz ran 03:00 and 03:07).
    [InlineData("Europe/Berlin", "7 * * * *", "2026-03-29T00:07+01:00", "2026-03-29T01:07+01:00", "2026-03-29T03:07+02:00", "2026-03-29T04:07+02:00")]
    [InlineData("America/New_York", "7 * * * *", "2026-03-08T01:07-05:00", "2026-03-08T03:07-04:00", "2026-03-08T04:07-04:00")]
    [InlineData("Australia/Lord_Howe", "7 * * * *", "2026-10-04T01:07+10:30", "2026-10-04T03:07+11:00")]
    [InlineData("Australia/Lord_Howe", "45 * * * *", "2026-10-04T00:45+10:30", "2026-10-04T01:45+10:30", "2026-10-04T02:45+11:00")]
    [InlineData("Europe/Berlin", "*/30 * * * *", "2026-03-29T01:30+01:00", "2026-03-29T03:00+02:00", "2026-03-29T03:30+02:00")]
    // Spring gap, fixed time: once, at the gap's end, even when several of its times are skipped.
    [InlineData("Europe/Berlin", "30 2 * * *", "2026-03-28T02:30+01:00", "2026-03-29T03:00+02:00", "2026-03-30T02:30+02:00")]
    [InlineData("Europe/Berlin", "0,30 2 * * *", "2026-03-28T02:30+01:00", "2026-03-29T03:00+02:00", "2026-03-30T02:00+02:00")]
    [InlineData("America/New_York", "30 2 * * *", "2026-03-07T02:30-05:00", "2026-03-08T03:00-04:00", "2026-03-09T02:30-04:00")]
    [InlineData("Australia/Lord_Howe", "15 2 * * *", "2026-10-03T02:15+10:30", "2026-10-04T02:30+11:00", "2026-10-05T02:15+11:00")]
    // Autumn overlap, fixed time: the first occurrence only.
    [InlineData("Europe/Berlin", "30 2 * * *", "2026-10-24T02:30+02:00", "2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00")]
    [InlineData("America/New_York", "30 1 * * *", "2026-10-31T01:30-04:00", "2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00")]
    [InlineData("Australia/Lord_Howe", "45 1 * * *", "2026-04-04T01:45+11:00", "2026-04-05T01:45+11:00", "2026-04-06T01:45+10:30")]
    // Autumn overlap, wildcard: every real occurrence.
    [InlineData("Europe/Berlin", "7 * * * *", "2026-10-25T01:07+02:00", "2026-10-25T02:07+02:00", "2026-10-25T02:07+01:00", "2026-10-25T03:07+01:00")]
    [InlineData("Europe/Berlin", "*/20 2 * * *", "2026-10-25T02:00+02:00", "2026-10-25T02:20+02:00", "2026-10-25T02:40+02:00", "2026-10-25T02:00+01:00", "2026-10-25T02:20+01:00", "2026-10-25T02:40+01:00", "2026-10-26T02:00+01:00")]
    [InlineData("America/New_York", "7 * * * *", "2026-11-01T00:07-04:00", "2026-11-01T01:07-04:00", "2026-11-01T01:07-05:00", "2026-11-01T02:07-05:00")]
    [InlineData("Australia/Lord_Howe", "45 * * * *", "2026-04-05T00:45+11:00", "2026-04-05T01:45+11:00", "2026-04-05T01:45+10:30", "2026-04-05T02:45+10:30")]
    public void NextAfter_CronDstRules(string zone, string cron, params string[] expected) => AssertFires(zone, cron, expected);

    [Theory]
    [InlineData("30 2 * * *", "2026-10-25T02:10+01:00", "2026-10-26T02:30+01:00")]   // already ran at 02:30 +02:00
    [InlineData("7 * * * *", "2026-10-25T02:10+01:00", "2026-10-25T03:07+01:00")]
    [InlineData("7 * * * *", "2026-10-25T02:10+02:00", "2026-10-25T02:07+01:00")]    // the repeated hour is still to come
    public void NextAfter_StartingInsideTheBerlinOverlap(string cron, string after, string expected)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var schedule = CronSchedule.Parse(CronSchedule.Normalize(cron, out _)!, zone);

        var next = schedule.NextAfter(DateTimeOffset.Parse(after, CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void NextAfter_HourlyForAYearInBerlin_EveryRealHourOnce()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var schedule = CronSchedule.Parse(CronSchedule.Normalize("7 * * * *", out _)!, zone);
        var t = new DateTimeOffset(2026, 1, 1, 0, 7, 0, TimeSpan.Zero);
        var gaps = new Dictionary<TimeSpan, int>();
        for (var i = 0; i < 8760; i++)
        {
            var next = schedule.NextAfter(t)!.Value;
            gaps[next - t] = gaps.GetValueOrDefault(next - t) + 1;
            t = next;
        }

        // Berlin moves by whole hours, so every step is one real hour: 01:07 CET -> 03:07 CEST in
        // spring, 02:07 CEST -> 02:07 CET in autumn; no 7-minute step at a gap's end.
        Assert.Equal([TimeSpan.FromHours(1)], gaps.Keys);
    }
}
