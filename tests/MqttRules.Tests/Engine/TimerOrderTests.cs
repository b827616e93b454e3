using MqttRules.Tests.Support;

namespace MqttRules.Tests.Engine;

/// <summary>Timers due at the same moment run in the order they were set, so replay output is stable.</summary>
public class TimerOrderTests
{
    [Fact]
    public void Timers_DueTogether_RunInTheOrderTheyWereSet()
    {
        var h = new EngineHarness("""
            rules:
              - id: hot
                topic: "room/{n}/temp"
                when: value > 25
                for: 5m
                actions: [ { log: "{{n}}" } ]
            """);
        var names = Enumerable.Range(0, 40).Select(i => $"r{i:00}").ToList();
        foreach (var n in names)
        {
            h.Send($"room/{n}/temp", "30");
        }

        h.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(names, h.Actions.Select(a => a.Message));
    }

    [Fact]
    public void Timers_DueTogetherAcrossRules_RunInRuleOrder()
    {
        var h = new EngineHarness("""
            rules:
              - id: b-first
                schedule: "0 * * * *"
                actions: [ { log: "b" } ]
              - id: a-second
                schedule: "0 * * * *"
                actions: [ { log: "a" } ]
              - id: c-third
                schedule: "0 * * * *"
                actions: [ { log: "c" } ]
            """);
        h.Advance(TimeSpan.FromHours(3));
        Assert.Equal(["b", "a", "c", "b", "a", "c", "b", "a", "c"], h.Actions.Select(a => a.Message));
    }
}
