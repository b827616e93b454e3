using MqttRules.Tests.Support;

namespace MqttRules.Tests.Engine;

/// <summary><c>repeat:</c> runs the actions again at that interval while firing (SPEC §3).</summary>
public class RepeatTests
{
    private const string Rule = """
        rules:
          - id: leak
            topic: cellar/water
            when: value > 0
            repeat: 10m
            actions: [ { log: "leak {{value}}" } ]
            on_resolve: [ { log: "dry" } ]
        """;

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void Repeat_WhileFiring_RunsActionsAtEachInterval()
    {
        var h = new EngineHarness(Rule);
        h.Send("cellar/water", "1").At(15 * Minute).Send("cellar/water", "3").At(25 * Minute).Send("cellar/water", "0").At(60 * Minute);
        Assert.Equal(["fire@00:00 leak 1", "repeat@10:00 leak 1", "repeat@20:00 leak 3", "resolve@25:00 dry"], h.Timeline());
    }

    [Fact]
    public void Repeat_AfterResolveAndRefire_CountsFromTheNewFire()
    {
        var h = new EngineHarness(Rule);
        h.Send("cellar/water", "1").At(5 * Minute).Send("cellar/water", "0").At(7 * Minute).Send("cellar/water", "2").At(18 * Minute);
        Assert.Equal(["fire@00:00 leak 1", "resolve@05:00 dry", "fire@07:00 leak 2", "repeat@17:00 leak 2"], h.Timeline());
    }

    [Fact]
    public void Repeat_WithFor_StartsAfterTheFire()
    {
        var h = new EngineHarness(Rule.Replace("repeat: 10m", "repeat: 10m\n    for: 5m", StringComparison.Ordinal));
        h.Send("cellar/water", "1").At(26 * Minute);
        Assert.Equal(["fire@05:00 leak 1", "repeat@15:00 leak 1", "repeat@25:00 leak 1"], h.Timeline());
    }
}
