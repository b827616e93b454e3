using MqttRules.Tests.Anomaly;

namespace MqttRules.Tests.History;

/// <summary>History functions in rules, through the engine as run and replay compose it.</summary>
public class HistoryFunctionTests
{
    [Fact]
    public void Schedule_GatedByLast_RunsOnlyWhenDark()
    {
        var h = new ComposedEngineHarness("""
            rules:
              - id: porch
                schedule: "0 30 18 * * ?"
                when: last('home/porch/lux', 'lux') < 50
                actions: [ { log: "on at {{last('home/porch/lux', 'lux')}} lux" } ]
            """);
        var day = ComposedEngineHarness.Start;

        h.AdvanceTo(day.AddHours(19));                                          // no lux yet: no match
        h.Send(day.AddHours(20), "home/porch/lux", """{"lux": 300}""");
        h.AdvanceTo(day.AddDays(1).AddHours(19));                               // bright at 18:30
        h.Send(day.AddDays(1).AddHours(20), "home/porch/lux", """{"lux": 12}""");
        h.AdvanceTo(day.AddDays(2).AddHours(19));

        Assert.Equal(["schedule  on at 12 lux"], h.Events);
        Assert.Equal(day.AddDays(2).AddHours(18).AddMinutes(30), h.Actions[0].Time);
    }

    [Fact]
    public void Schedule_DailySum_TotalOfTheDay()
    {
        var h = new ComposedEngineHarness("""
            rules:
              - id: report
                schedule: "0 21 * * *"
                actions: [ { log: "{{round(sum('home/main/water', 'flow.lpm', '24h'), 1)}} over {{count('home/main/water', 'flow.lpm', '24h')}}" } ]
            """);
        var day = ComposedEngineHarness.Start;
        h.Send(day.AddHours(20).AddMinutes(59), "home/main/water", """{"flow": {"lpm": 1.5}}""");  // yesterday's report window
        h.Send(day.AddHours(21), "home/main/water", """{"flow": {"lpm": 100}}""");                // after the 21:00 report
        h.Send(day.AddHours(22), "home/main/water", """{"flow": {"lpm": 2}}""");
        h.Send(day.AddDays(1).AddHours(12), "home/main/water", """{"flow": {"lpm": 3.25}}""");
        h.AdvanceTo(day.AddDays(1).AddHours(21));

        Assert.Equal(["schedule  1.5 over 1", "schedule  105.3 over 3"], h.Events);
    }
}

public class HistoryCompositionTests
{
    [Fact]
    public void Subscriptions_HistoryTopics_SubscribedToo()
    {
        var h = new ComposedEngineHarness("""
            rules:
              - id: porch
                schedule: "0 30 18 * * ?"
                when: last('home/porch/lux', 'lux') < 50 and avg('sensors/+/temp', 'v', '1h') > 20
                actions: [ { log: "on" } ]
            """);

        Assert.Equal(["home/porch/lux", "sensors/+/temp"], h.Engine.Subscriptions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Process_OwnTopic_LastIsThePreviousMessage()
    {
        var h = new ComposedEngineHarness("""
            rules:
              - id: jump
                topic: meter/total
                each_message: true
                when: value - last('meter/total') > 100
                actions: [ { log: "jump {{value - last('meter/total')}}" } ]
            """);
        var t = Anomaly.ComposedEngineHarness.Start;
        h.Send(t, "meter/total", "1000");
        h.Send(t.AddMinutes(1), "meter/total", "1050");
        h.Send(t.AddMinutes(2), "meter/total", "1200");

        Assert.Equal(["message meter/total jump 150"], h.Events);
    }

    [Fact]
    public void ConfigureEngine_NoHistoryFunctions_NoHistoryKept()
    {
        var rules = MqttRules.Loading.RuleLoader.LoadText("""
            rules:
              - id: hot
                topic: t
                when: value > 1
                actions: [ { log: "hot" } ]
            """).Rules;

        var options = MqttRules.Hosting.EngineComposition.ForRules(rules, new MqttRules.Engine.EngineOptions());

        Assert.Null(options.History);
        Assert.NotNull(options.BaselineFactory);
        Assert.NotNull(options.BaselineLoader);
    }
}
