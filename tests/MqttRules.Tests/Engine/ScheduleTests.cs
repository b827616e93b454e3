using MqttRules.Tests.Support;

namespace MqttRules.Tests.Engine;

/// <summary>Scheduled rules run on cron ticks in their time zone; their events have no series (SPEC §3, §5).</summary>
public class ScheduleTests
{
    [Fact]
    public void Schedule_EveryTick_RunsActionsWithNullSeries()
    {
        var h = new EngineHarness("""
            rules:
              - id: hourly
                schedule: "0 * * * *"
                actions: [ { log: "tick {{hour()}}" } ]
            """);
        h.At(TimeSpan.FromMinutes(150));
        Assert.Equal(["schedule@60:00 tick 1", "schedule@120:00 tick 2"], h.Timeline());
        Assert.All(h.Actions, a => Assert.Null(a.Series));
    }

    [Fact]
    public void Schedule_RuleTimeZone_FiresAtLocalTime()
    {
        var h = new EngineHarness("""
            rules:
              - id: evening
                schedule: "0 30 18 * * ?"
                timezone: Asia/Tokyo
                actions: [ { log: "evening {{hour()}}" } ]
            """);
        h.At(TimeSpan.FromHours(24));
        Assert.Equal(["schedule@570:00 evening 18"], h.Timeline());
    }

    [Fact]
    public void Schedule_DefaultTimeZone_FromEngineOptions()
    {
        var h = new EngineHarness("""
            rules:
              - id: evening
                schedule: "30 18 * * *"
                actions: [ { log: "evening" } ]
            """, zone: TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        h.At(TimeSpan.FromHours(24));
        Assert.Equal(["schedule@1410:00 evening"], h.Timeline());
    }

    [Fact]
    public void Schedule_WhenFalse_NothingRuns()
    {
        var h = new EngineHarness("""
            rules:
              - id: weekdays
                schedule: "0 7 * * *"
                when: weekday() >= 6
                actions: [ { log: "weekend morning" } ]
            """);
        h.At(TimeSpan.FromDays(4));
        Assert.Equal(["schedule@3300:00 weekend morning", "schedule@4740:00 weekend morning"], h.Timeline());
    }
}
