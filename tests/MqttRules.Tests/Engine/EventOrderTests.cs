using MqttRules.Tests.Support;

namespace MqttRules.Tests.Engine;

/// <summary>Actions that happen at the same moment come out in a stable, predictable order.</summary>
public class EventOrderTests
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

        Assert.Equal(names, h.Actions.Select(a => a.LogMessage()));
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
        Assert.Equal(["b", "a", "c", "b", "a", "c", "b", "a", "c"], h.Actions.Select(a => a.LogMessage()));
    }

    [Fact]
    public void Timers_DueAtAMessagesTime_RunBeforeTheMessage()
    {
        var h = new EngineHarness("""
            rules:
              - id: hot
                topic: room/temp
                when: value > 25
                for: 5m
                actions: [ { log: "hot {{value}}" } ]
                on_resolve: [ { log: "cool {{value}}" } ]
            """);
        h.Send("room/temp", "26").Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1)).Send("room/temp", "27");
        Assert.Empty(h.Actions);
        h.Clock.Advance(TimeSpan.FromTicks(1));
        h.Send("room/temp", "20");
        Assert.Equal(["fire@05:00 hot 27", "resolve@05:00 cool 20"], h.Timeline());
    }

    [Fact]
    public void Message_MatchingSeveralRules_ActionsInRuleFileOrder()
    {
        var h = new EngineHarness("""
            rules:
              - id: everything
                topic: "#"
                each_message: true
                actions: [ { log: "1 everything" } ]
              - id: any-room
                topic: "home/+/temp"
                each_message: true
                actions: [ { log: "2 any room" } ]
              - id: kitchen
                topic: home/kitchen/temp
                each_message: true
                actions: [ { log: "3 kitchen" } ]
              - id: home
                topic: "home/#"
                each_message: true
                actions: [ { log: "4 home" } ]
            """);
        h.Send("home/kitchen/temp", "20");
        Assert.Equal(["1 everything", "2 any room", "3 kitchen", "4 home"], h.Actions.Select(a => a.LogMessage()));
    }
}
