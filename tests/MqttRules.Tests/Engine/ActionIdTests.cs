using MqttRules.Actions;
using MqttRules.Engine;
using MqttRules.Rules;

namespace MqttRules.Tests.Engine;

/// <summary>Idempotency keys: the outbox stores an action once per key, so the key must be stable for one event.</summary>
public class ActionIdTests
{
    private static readonly DateTimeOffset T = new(2026, 1, 1, 0, 10, 0, TimeSpan.Zero);

    [Fact]
    public void ActionId_SameEventEvaluatedAgain_SameKey()
    {
        Assert.Equal(RuleEngine.ActionId("water-high", "home/main/water", RuleEvent.Fire, T, 0),
            RuleEngine.ActionId("water-high", "home/main/water", RuleEvent.Fire, T, 0));
    }

    [Theory]
    [InlineData("other-rule", "home/main/water", RuleEvent.Fire, 0, 0)]
    [InlineData("water-high", "home/garden/water", RuleEvent.Fire, 0, 0)]
    [InlineData("water-high", "home/main/water", RuleEvent.Repeat, 0, 0)]
    [InlineData("water-high", "home/main/water", RuleEvent.Fire, 1, 0)]
    [InlineData("water-high", "home/main/water", RuleEvent.Fire, 0, 1)]
    public void ActionId_AnyPartDiffers_DifferentKey(string rule, string series, RuleEvent ev, int seconds, int index)
    {
        Assert.NotEqual(RuleEngine.ActionId("water-high", "home/main/water", RuleEvent.Fire, T, 0),
            RuleEngine.ActionId(rule, series, ev, T.AddSeconds(seconds), index));
    }

    /// <summary>Issue 12: the key is made when first read, not at every fire; it is the same key.</summary>
    [Fact]
    public void ActionId_OfAFiredPublish_IsTheKeyOfItsEvent_AndAnEachMessageRunHasNone()
    {
        var h = new EngineHarness("""
            rules:
              - id: water-high
                topic: home/{meter}/water
                when: lpm > 30
                actions:
                  - log: "high"
                  - publish: { topic: "alerts/{{meter}}", payload: "{{lpm}}" }
              - id: each
                topic: home/{meter}/water
                each_message: true
                actions: [ { log: "seen" } ]
            """);

        h.Send("home/m1/water", """{"lpm": 45}""").Send("home/m1/water", """{"lpm": 46}""");

        var publish = Assert.Single(h.Actions, a => a.Kind == ActionKind.Publish);
        Assert.Equal(RuleEngine.ActionId("water-high", "home/m1/water", RuleEvent.Fire, EngineHarness.Start, 1), publish.Id);
        var each = h.Actions.Where(a => a.RuleId == "each").Select(a => a.Id).ToList();
        Assert.Equal(2, each.Distinct(StringComparer.Ordinal).Count());
    }
}
