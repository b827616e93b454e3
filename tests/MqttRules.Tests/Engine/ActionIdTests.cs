using MqttRules.Actions;
using MqttRules.Engine;

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
}
