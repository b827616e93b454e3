using MqttRules.Tests.Support;

namespace MqttRules.Tests.Engine;

/// <summary><c>when</c> → pending → after <c>for:</c> fire; a false message ends pending, and what never fired never resolves.</summary>
public class PendingAndForTests
{
    private const string Rule = """
        rules:
          - id: hot
            topic: room/temp
            when: value > 25
            for: 5m
            actions: [ { log: "hot {{value}} for {{duration}}s" } ]
            on_resolve: [ { log: "cool {{value}} after {{duration}}s" } ]
        """;

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void For_ConditionHoldsThroughout_FiresWhenForHasPassed()
    {
        var h = new EngineHarness(Rule);
        h.Send("room/temp", "26");
        h.Advance(4 * Minute);
        Assert.Empty(h.Actions);
        h.Advance(Minute);
        Assert.Equal(["fire@05:00 hot 26 for 300s"], h.Timeline());
    }

    [Fact]
    public void For_FireRendersTheLatestMessage()
    {
        var h = new EngineHarness(Rule);
        h.Send("room/temp", "26").Advance(2 * Minute).Send("room/temp", "28").Advance(3 * Minute);
        Assert.Equal(["fire@05:00 hot 28 for 300s"], h.Timeline());
    }

    [Fact]
    public void For_FalseMessageWhilePending_EndsPendingAndNothingResolves()
    {
        var h = new EngineHarness(Rule);
        h.Send("room/temp", "26").Advance(2 * Minute).Send("room/temp", "20").Advance(10 * Minute).Send("room/temp", "19");
        Assert.Empty(h.Actions);
    }

    [Fact]
    public void For_CountsOnlyWhileWhenHolds_RestartsAfterAFalseMessage()
    {
        var h = new EngineHarness(Rule);
        h.Send("room/temp", "26").Advance(2 * Minute).Send("room/temp", "20").Advance(Minute).Send("room/temp", "27");
        h.Advance(4 * Minute);
        Assert.Empty(h.Actions);
        h.Advance(Minute);
        Assert.Equal(["fire@08:00 hot 27 for 300s"], h.Timeline());
    }

    [Fact]
    public void Resolve_AfterFire_RunsOnResolveWithDurationOfTheExcursion()
    {
        var h = new EngineHarness(Rule);
        h.Send("room/temp", "26").Advance(8 * Minute).Send("room/temp", "24");
        Assert.Equal(["fire@05:00 hot 26 for 300s", "resolve@08:00 cool 24 after 480s"], h.Timeline());
    }

    [Fact]
    public void Fire_WithoutFor_FiresOnTheFirstTrueMessageOnly()
    {
        var h = new EngineHarness(Rule.Replace("for: 5m", "for: 0s", StringComparison.Ordinal));
        h.Send("room/temp", "26").Advance(Minute).Send("room/temp", "27").Advance(Minute).Send("room/temp", "28");
        Assert.Equal(["fire@00:00 hot 26 for 0s"], h.Timeline());
    }

    [Fact]
    public void Fire_AfterResolve_NextExcursionFiresAgain()
    {
        var h = new EngineHarness(Rule.Replace("for: 5m", "for: 0s", StringComparison.Ordinal));
        h.Send("room/temp", "26").Advance(Minute).Send("room/temp", "20").Advance(Minute).Send("room/temp", "30");
        Assert.Equal(["fire@00:00 hot 26 for 0s", "resolve@01:00 cool 20 after 60s", "fire@02:00 hot 30 for 0s"], h.Timeline());
    }

    [Fact]
    public void Series_EachTopicHasItsOwnState()
    {
        var h = new EngineHarness("""
            rules:
              - id: hot
                topic: "room/{name}/temp"
                when: value > 25
                for: 1m
                actions: [ { log: "{{name}} hot" } ]
            """);
        h.Send("room/a/temp", "26").Advance(TimeSpan.FromSeconds(30)).Send("room/b/temp", "26").Send("room/a/temp", "20");
        h.Advance(2 * Minute);
        var action = Assert.Single(h.Actions);
        Assert.Equal("room/b/temp", action.Series);
        Assert.Equal("b hot", action.LogMessage());
        Assert.Equal(EngineHarness.Start.AddSeconds(90), action.Time);
    }

    [Fact]
    public void Metrics_FiresAndResolves_Counted()
    {
        var h = new EngineHarness(Rule);
        h.Send("room/temp", "26").Advance(8 * Minute).Send("room/temp", "24");
        Assert.Equal(2, h.Engine.Metrics.Messages);
        Assert.Equal(1, h.Engine.Metrics.Fires("hot"));
        Assert.Contains("mqttrules_rule_resolves_total{rule=\"hot\"} 1", h.Engine.Metrics.ToPrometheusText());
    }

    [Fact]
    public void For_UndecidableMessageWhilePending_FireRendersTheLastMessageThatMatched()
    {
        var h = new EngineHarness(Rule);
        h.Send("room/temp", "26").Advance(Minute).Send("room/temp", "{\"other\": 1}").Advance(4 * Minute);
        Assert.Equal(["fire@05:00 hot 26 for 300s"], h.Timeline());
        Assert.Equal(1, h.Engine.Metrics.EvaluationErrors);
    }

    [Fact]
    public void Repeat_UndecidableMessageWhileFiring_RepeatRendersTheLastMessageThatMatched()
    {
        var h = new EngineHarness(Rule.Replace("for: 5m", "repeat: 10m", StringComparison.Ordinal));
        h.Send("room/temp", "26").Advance(Minute).Send("room/temp", "broken").Advance(9 * Minute);
        Assert.Equal(["fire@00:00 hot 26 for 0s", "repeat@10:00 hot 26 for 600s"], h.Timeline());
    }
}
