using MqttRules.Tests.Support;

namespace MqttRules.Tests.Engine;

/// <summary><c>clear:</c> is hysteresis: a firing series stays firing until <c>clear</c> holds (SPEC §3).</summary>
public class ClearHysteresisTests
{
    private const string Freezer = """
        rules:
          - id: freezer-warm
            topic: kitchen/freezer/temp
            when: value > -10
            clear: value < -15
            actions: [ { log: "warm {{value}}" } ]
            on_resolve: [ { log: "cold {{value}}" } ]
        """;

    [Fact]
    public void Clear_WhenFalseButClearFalse_StaysFiring()
    {
        var h = new EngineHarness(Freezer);
        h.Send("kitchen/freezer/temp", "-5").Advance(TimeSpan.FromMinutes(1)).Send("kitchen/freezer/temp", "-12")
            .Advance(TimeSpan.FromMinutes(1)).Send("kitchen/freezer/temp", "-8");
        Assert.Equal(["fire@00:00 warm -5"], h.Timeline());
    }

    [Fact]
    public void Clear_ClearHolds_Resolves()
    {
        var h = new EngineHarness(Freezer);
        h.Send("kitchen/freezer/temp", "-5").Advance(TimeSpan.FromMinutes(1)).Send("kitchen/freezer/temp", "-12")
            .Advance(TimeSpan.FromMinutes(1)).Send("kitchen/freezer/temp", "-16");
        Assert.Equal(["fire@00:00 warm -5", "resolve@02:00 cold -16"], h.Timeline());
    }

    [Fact]
    public void Clear_AfterResolve_BandBetweenDoesNotRefire()
    {
        var h = new EngineHarness(Freezer);
        h.Send("kitchen/freezer/temp", "-5").Send("kitchen/freezer/temp", "-16").Send("kitchen/freezer/temp", "-12");
        Assert.Equal(["fire@00:00 warm -5", "resolve@00:00 cold -16"], h.Timeline());
    }

    [Fact]
    public void Clear_UndecidableMessageWhileFiring_StaysFiringAndCounts()
    {
        var h = new EngineHarness(Freezer);
        h.Send("kitchen/freezer/temp", "-5").Send("kitchen/freezer/temp", "{\"other\": 1}");
        Assert.Single(h.Actions);
        Assert.True(h.Engine.Metrics.EvaluationErrors >= 1);
    }

    [Fact]
    public void Clear_WithoutClear_ResolvesWhenWhenIsFalse()
    {
        var h = new EngineHarness(Freezer.Replace("    clear: value < -15\n", "", StringComparison.Ordinal));
        h.Send("kitchen/freezer/temp", "-5").Send("kitchen/freezer/temp", "-12");
        Assert.Equal(["fire@00:00 warm -5", "resolve@00:00 cold -12"], h.Timeline());
    }
}
