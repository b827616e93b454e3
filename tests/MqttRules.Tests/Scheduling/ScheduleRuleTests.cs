using MqttRules.Tests.Anomaly;

namespace MqttRules.Tests.Scheduling;

/// <summary>Scheduled rules through the engine: time zones, the when gate, missed runs.</summary>
public class ScheduleRuleTests
{
    private static readonly DateTimeOffset T0 = ComposedEngineHarness.Start; // Monday 2026-01-05 00:00Z

    private static string Rule(string cron, string extra = "") => $$$"""
        rules:
          - id: tick
            schedule: "{{{cron}}}"
        {{{extra}}}
            actions: [ { log: "h{{hour()}} d{{weekday()}}" } ]
        """;

    [Fact]
    public void Schedule_FiveField_RunsEveryDayAtTime()
    {
        var h = new ComposedEngineHarness(Rule("30 18 * * *"));
        h.AdvanceTo(T0.AddDays(3));

        Assert.Equal([T0.AddHours(18.5), T0.AddDays(1).AddHours(18.5), T0.AddDays(2).AddHours(18.5)], h.Actions.Select(a => a.Time));
        Assert.All(h.Actions, a => Assert.Null(a.Series));
    }

    [Fact]
    public void Schedule_RuleTimeZone_LocalTimeAndFunctions()
    {
        var h = new ComposedEngineHarness(Rule("0 0 8 ? * MON-FRI", "    timezone: America/New_York"));
        h.AdvanceTo(T0.AddDays(7));

        Assert.Equal(5, h.Actions.Count);
        Assert.All(h.Actions, a => Assert.Equal(13, a.Time.Hour));
        Assert.Equal(["schedule  h8 d1", "schedule  h8 d2", "schedule  h8 d3", "schedule  h8 d4", "schedule  h8 d5"], h.Events);
    }

    [Fact]
    public void Schedule_DefaultZone_FromEngineOption()
    {
        var h = new ComposedEngineHarness(Rule("0 8 * * *"), zone: "Europe/Berlin");
        h.AdvanceTo(T0.AddDays(1));

        Assert.Equal(T0.AddHours(7), Assert.Single(h.Actions).Time);
    }

    [Fact]
    public void Schedule_HourlyAcrossBerlinSpringGap_NoExtraRunAtTheGapsEnd()
    {
        // 29 Mar 2026: 02:00 CET jumps to 03:00 CEST (01:00Z). Quartz ran 03:00 and 03:07 local.
        var start = new DateTimeOffset(2026, 3, 28, 23, 30, 0, TimeSpan.Zero);
        var h = new ComposedEngineHarness(Rule("7 * * * *"), zone: "Europe/Berlin", start: start);
        h.AdvanceTo(start.AddHours(4));

        Assert.Equal(["schedule  h1 d7", "schedule  h3 d7", "schedule  h4 d7", "schedule  h5 d7"], h.Events);
        Assert.All(h.Actions, a => Assert.Equal(7, a.Time.Minute));
    }

    [Fact]
    public void Schedule_StartAfterTime_MissedRunNotRunLate()
    {
        var h = new ComposedEngineHarness(Rule("30 18 * * *"), start: T0.AddHours(18).AddMinutes(31));
        h.AdvanceTo(T0.AddDays(1).AddHours(18));

        Assert.Empty(h.Actions);
        h.AdvanceTo(T0.AddDays(1).AddHours(19));
        Assert.Equal(T0.AddDays(1).AddHours(18.5), Assert.Single(h.Actions).Time);
    }

    [Fact]
    public void Schedule_WhenFalse_Skipped()
    {
        var h = new ComposedEngineHarness(Rule("0 * * * *", "    when: between('09:00', '11:00')"));
        h.AdvanceTo(T0.AddDays(1));

        Assert.Equal([T0.AddHours(9), T0.AddHours(10)], h.Actions.Select(a => a.Time));
    }

    [Fact]
    public void Schedule_SpringForward_SkippedTimeRunsOnceAtEndOfGap()
    {
        var start = new DateTimeOffset(2026, 3, 28, 0, 0, 0, TimeSpan.Zero);
        var h = new ComposedEngineHarness(Rule("30 1 * * *", "    timezone: Europe/London"), start: start);
        h.AdvanceTo(start.AddDays(3));

        Assert.Equal(
            [new DateTimeOffset(2026, 3, 28, 1, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 30, 0, 30, 0, TimeSpan.Zero)],
            h.Actions.Select(a => a.Time));
    }

    [Fact]
    public void Schedule_FallBack_RepeatedTimeRunsOnce()
    {
        var start = new DateTimeOffset(2026, 10, 24, 12, 0, 0, TimeSpan.Zero);
        var h = new ComposedEngineHarness(Rule("30 1 * * *", "    timezone: Europe/London"), start: start);
        h.AdvanceTo(start.AddDays(2));

        Assert.Equal(
            [new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 26, 1, 30, 0, TimeSpan.Zero)],
            h.Actions.Select(a => a.Time));
    }

    [Fact]
    public void Schedule_HourlyAcrossFallBack_EveryRealHour()
    {
        var start = new DateTimeOffset(2026, 10, 24, 23, 30, 0, TimeSpan.Zero);
        var h = new ComposedEngineHarness(Rule("0 * * * *", "    timezone: Europe/London"), start: start);
        h.AdvanceTo(start.AddHours(3));

        // 00:00Z = 01:00 BST, 01:00Z = 01:00 GMT (the repeated hour), 02:00Z = 02:00 GMT
        Assert.Equal(["schedule  h1 d7", "schedule  h1 d7", "schedule  h2 d7"], h.Events);
    }
}
