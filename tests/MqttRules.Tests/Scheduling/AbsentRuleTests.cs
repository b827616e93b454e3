using MqttRules.Tests.Anomaly;

namespace MqttRules.Tests.Scheduling;

/// <summary><c>absent:</c> (SPEC §5): once per silence, resolve on the next message, once after downtime.</summary>
public class AbsentRuleTests
{
    private const string Rules = """
        rules:
          - id: offline
            topic: home/{meter}/water
            absent: 15m
            actions: [ { log: "{{meter}} silent {{duration}}s" } ]
            on_resolve: [ { log: "{{meter}} back" } ]
        """;

    private static readonly DateTimeOffset T0 = ComposedEngineHarness.Start;

    [Fact]
    public void Absent_Silence_FiresOnceAtDeadline()
    {
        var h = new ComposedEngineHarness(Rules);
        h.Send(T0, "home/main/water", "{}");

        h.AdvanceTo(T0.AddMinutes(14).AddSeconds(59));
        Assert.Empty(h.Actions);
        h.AdvanceTo(T0.AddHours(5));

        Assert.Equal(["fire home/main/water main silent 900s"], h.Events);
        Assert.Equal(T0.AddMinutes(15), h.Actions[0].Time);
    }

    [Fact]
    public void Absent_NextMessage_ResolvesAndRearms()
    {
        var h = new ComposedEngineHarness(Rules);
        h.Send(T0, "home/main/water", "{}");
        h.Send(T0.AddHours(1), "home/main/water", "{}");
        h.AdvanceTo(T0.AddHours(2));

        Assert.Equal(["fire home/main/water main silent 900s", "resolve home/main/water main back", "fire home/main/water main silent 900s"], h.Events);
        Assert.Equal(T0.AddHours(1).AddMinutes(15), h.Actions[2].Time);
    }

    [Fact]
    public void Absent_RegularMessages_NeverFires()
    {
        var h = new ComposedEngineHarness(Rules);
        for (var i = 0; i < 100; i++)
        {
            h.Send(T0.AddMinutes(10 * i), "home/main/water", "{}");
        }

        Assert.Empty(h.Actions);
    }

    [Fact]
    public void Absent_NeverSeenSeries_NeverFires()
    {
        var h = new ComposedEngineHarness(Rules);
        h.Send(T0, "home/main/water", "{}");
        h.Send(T0.AddMinutes(10), "home/main/water", "{}");
        h.AdvanceTo(T0.AddMinutes(20));

        Assert.Empty(h.Actions); // home/garden/water has never spoken: it is not a known series
    }

    [Fact]
    public void Absent_EachSeriesOnItsOwn()
    {
        var h = new ComposedEngineHarness(Rules);
        h.Send(T0, "home/main/water", "{}");
        h.Send(T0.AddMinutes(5), "home/garden/water", "{}");
        h.Send(T0.AddMinutes(14), "home/main/water", "{}");
        h.AdvanceTo(T0.AddMinutes(25));

        Assert.Equal(["fire home/garden/water garden silent 900s"], h.Events);
    }

    [Fact]
    public void Absent_RestartAfterLongDowntime_FiresOnceAtStart()
    {
        var store = new MemoryStateStore();
        var before = new ComposedEngineHarness(Rules, store);
        before.Send(T0, "home/main/water", "{}");
        before.Engine.FlushState();

        var start = T0.AddHours(3);
        var after = new ComposedEngineHarness(Rules, store, start);
        after.AdvanceTo(start);
        after.AdvanceTo(start.AddHours(3));

        Assert.Equal(["fire home/main/water main silent 10800s"], after.Events);
        Assert.Equal(start, after.Actions[0].Time);
    }

    [Fact]
    public void Absent_RestartWhileFiring_NoSecondFire()
    {
        var store = new MemoryStateStore();
        var before = new ComposedEngineHarness(Rules, store);
        before.Send(T0, "home/main/water", "{}");
        before.AdvanceTo(T0.AddMinutes(20));
        before.Engine.FlushState();
        Assert.Single(before.Actions);

        var start = T0.AddHours(3);
        var after = new ComposedEngineHarness(Rules, store, start);
        after.AdvanceTo(start.AddHours(3));
        after.Send(start.AddHours(4), "home/main/water", "{}");

        Assert.Equal(["resolve home/main/water main back"], after.Events);
    }

    [Fact]
    public void Absent_RestartWithinAbsent_FiresAtOriginalDeadline()
    {
        var store = new MemoryStateStore();
        var before = new ComposedEngineHarness(Rules, store);
        before.Send(T0, "home/main/water", "{}");
        before.Engine.FlushState();

        var after = new ComposedEngineHarness(Rules, store, T0.AddMinutes(5));
        after.AdvanceTo(T0.AddMinutes(30));

        Assert.Equal(T0.AddMinutes(15), Assert.Single(after.Actions).Time);
    }
}
