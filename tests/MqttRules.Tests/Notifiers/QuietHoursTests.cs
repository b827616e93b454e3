using MqttRules.Actions;

namespace MqttRules.Tests.Notifiers;

/// <summary><c>quiet_hours:</c> of a notifier: held until the window ends, or dropped (issue 15, point 3).</summary>
public class QuietHoursTests
{
    internal static string Rules(string quiet, string group = "") => $$$"""
        notifiers:
          phone:
            channels:
              - tweet: "{{message}}"
            quiet_hours: {{{quiet}}}
        {{{group}}}
        rules:
          - id: too-warm
            topic: "sensors/{room}/temp"
            when: value > 30
            actions:
              - notify: { to: phone, message: "{{room}} at {{value}} C" }
        """;

    private static readonly string Night = Rules("{ from: \"22:00\", to: \"07:00\" }");

    [Fact]
    public void Quiet_AlertAtNight_DeliveredWhenTheWindowEndsNextMorning()
    {
        var h = new EngineHarness(Night, start: EngineHarness.Start);
        h.At(TimeSpan.FromHours(23)).Send("sensors/attic/temp", "31");
        h.At(TimeSpan.FromHours(30) + TimeSpan.FromMinutes(59));
        Assert.Empty(h.Actions);

        h.At(TimeSpan.FromHours(31));

        var alert = Assert.Single(h.Actions);
        Assert.Equal(EngineHarness.Start + TimeSpan.FromHours(31), alert.Time);
        Assert.Equal(RuleEvent.Fire, alert.Event);
        Assert.Equal("attic at 31 C", alert.NotifyMessage);
    }

    [Fact]
    public void Quiet_AfterMidnightInTheWindow_DeliveredAtSevenTheSameDay()
    {
        var h = new EngineHarness(Night);
        h.At(TimeSpan.FromHours(1)).Send("sensors/attic/temp", "31");
        h.At(TimeSpan.FromHours(8));

        Assert.Equal(EngineHarness.Start + TimeSpan.FromHours(7), Assert.Single(h.Actions).Time);
    }

    [Fact]
    public void Quiet_OutsideTheWindow_DeliveredAtOnce()
    {
        var h = new EngineHarness(Night);
        h.At(TimeSpan.FromHours(12)).Send("sensors/attic/temp", "31");

        Assert.Equal(EngineHarness.Start + TimeSpan.FromHours(12), Assert.Single(h.Actions).Time);
    }

    [Fact]
    public void Quiet_Drop_AlertInTheWindowDroppedAndCounted()
    {
        var h = new EngineHarness(Rules("{ from: \"22:00\", to: \"07:00\", then: drop }"));
        h.At(TimeSpan.FromHours(23)).Send("sensors/attic/temp", "31");
        h.At(TimeSpan.FromHours(36)).Send("sensors/cellar/temp", "32");

        var alert = Assert.Single(h.Actions);
        Assert.Equal("cellar at 32 C", alert.NotifyMessage);
        Assert.Equal(1, h.Engine.Metrics.ActionCount("tweet", "quiet_dropped"));
    }

    [Fact]
    public void Quiet_NotifierTimezone_WindowInItsLocalTime()
    {
        // 22:00-07:00 in New York (UTC-5 in January) is 03:00-12:00 UTC.
        var h = new EngineHarness(Rules("{ from: \"22:00\", to: \"07:00\", timezone: America/New_York }"));
        h.At(TimeSpan.FromHours(2)).Send("sensors/attic/temp", "31");
        h.At(TimeSpan.FromHours(4)).Send("sensors/cellar/temp", "32");
        h.At(TimeSpan.FromHours(13));

        Assert.Equal([2, 12], h.Actions.Select(a => (int)(a.Time - EngineHarness.Start).TotalHours));
    }

    [Fact]
    public void Quiet_EngineTimezoneIsTheDefault()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");   // UTC+9: 22:00-07:00 is 13:00-22:00 UTC
        var h = new EngineHarness(Night, zone);
        h.At(TimeSpan.FromHours(14)).Send("sensors/attic/temp", "31");
        h.At(TimeSpan.FromHours(23));

        Assert.Equal(EngineHarness.Start + TimeSpan.FromHours(22), Assert.Single(h.Actions).Time);
    }

    [Fact]
    public void Quiet_GroupedNotifier_DigestWaitsForTheWindowEnd()
    {
        var yaml = Rules("{ from: \"22:00\", to: \"07:00\" }", "    group: { wait: 30s }");
        var h = new EngineHarness(yaml);
        h.At(TimeSpan.FromHours(21) + TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(50)).Send("sensors/attic/temp", "31");
        h.At(TimeSpan.FromHours(23)).Send("sensors/cellar/temp", "32");
        h.At(TimeSpan.FromHours(32));

        Assert.Equal(["digest@1860:00 attic at 31 C\ncellar at 32 C"], h.Actions.Select(GroupTests.Timeline));
    }

    [Theory]
    [InlineData("{ from: \"22:00\" }", "missing 'to' in 'quiet_hours'")]
    [InlineData("{ from: \"22:00\", to: \"7\" }", "'to: 7' is not a time of day; write it as HH:MM")]
    [InlineData("{ from: \"22:00\", to: \"22:00\" }", "'from' and 'to' are the same time")]
    [InlineData("{ from: \"22:00\", to: \"07:00\", then: later }", "'then' must be deliver")]
    [InlineData("{ from: \"22:00\", to: \"07:00\", timezone: Mars/Olympus }", "unknown time zone 'Mars/Olympus'")]
    [InlineData("{ from: \"22:00\", to: \"07:00\", tz: UTC }", "unknown key 'tz' in 'quiet_hours'")]
    public void Quiet_BadWindow_ClearProblem(string quiet, string fragment)
    {
        var problem = Assert.Single(Yaml.Problems(Rules(quiet)));
        Assert.Contains(fragment, problem, StringComparison.Ordinal);
        Assert.StartsWith("rules.yaml:", problem, StringComparison.Ordinal);
    }
}
