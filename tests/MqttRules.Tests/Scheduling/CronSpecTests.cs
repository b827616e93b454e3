using MqttRules.Scheduling;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Scheduling;

/// <summary>The loader parses a rule's <c>schedule:</c> once; the model holds the parsed schedule, placed in a zone by the engine.</summary>
public class CronSpecTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly DateTimeOffset July = new(2026, 7, 1, 0, 0, 0, TimeSpan.Zero);

    private static string Rule(string cron) => $$"""
        rules:
          - id: tick
            schedule: "{{cron}}"
            actions: [ { log: "tick" } ]
        """;

    [Theory]
    [InlineData("30 18 * * *")]
    [InlineData("0 30 18 * * ?")]
    [InlineData("@daily")]
    public void Load_ScheduledRule_ModelHoldsTheParsedScheduleAsWritten(string cron)
    {
        var schedule = Assert.Single(Yaml.Rules(Rule(cron)).Rules).Schedule;

        var spec = Assert.IsType<CronSpec>(schedule);
        Assert.Equal(cron, spec.Source);
        Assert.Equal(CronSchedule.Normalize(cron, out _), spec.Normalized);
    }

    [Theory]
    [InlineData("30 18 * * *")]
    [InlineData("0 30 18 * * ?")]
    public void In_OneParsedScheduleInTwoZones_EachKeepsItsZone(string cron)
    {
        var spec = CronSpec.Parse(cron, out var error);
        Assert.True(spec is not null, error);

        var london = spec.In(London);
        var utc = spec.In(TimeZoneInfo.Utc);

        Assert.Equal(July.AddHours(17.5), london.NextAfter(July)); // 18:30 BST
        Assert.Equal(July.AddHours(18.5), utc.NextAfter(July));
        Assert.Equal(July.AddHours(17.5), london.NextAfter(July));
    }
}
