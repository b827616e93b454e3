using MqttRules.Tests.Support;

namespace MqttRules.Tests.Engine;

/// <summary><c>absent:</c> fires once when a known series goes quiet, and resolves on its next message (SPEC §3, §5).</summary>
public class AbsentTests
{
    private const string Rule = """
        rules:
          - id: meter-offline
            topic: "home/{meter}/water"
            absent: 15m
            actions: [ { log: "meter {{meter}} silent for {{duration}}s" } ]
            on_resolve: [ { log: "meter {{meter}} back" } ]
        """;

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void Absent_NeverSeenSeries_NeverFires()
    {
        var h = new EngineHarness(Rule);
        h.At(60 * Minute);
        Assert.Empty(h.Actions);
    }

    [Fact]
    public void Absent_SeenThenSilent_FiresOnceAfterTheSilence()
    {
        var h = new EngineHarness(Rule);
        h.Send("home/main/water", "1").At(10 * Minute).Send("home/main/water", "2").At(120 * Minute);
        Assert.Equal(["fire@25:00 meter main silent for 900s"], h.Timeline());
        Assert.Equal("home/main/water", h.Actions[0].Series);
    }

    [Fact]
    public void Absent_NextMessage_ResolvesAndStartsWatchingAgain()
    {
        var h = new EngineHarness(Rule);
        h.Send("home/main/water", "1").At(20 * Minute).Send("home/main/water", "2").At(40 * Minute);
        Assert.Equal(["fire@15:00 meter main silent for 900s", "resolve@20:00 meter main back", "fire@35:00 meter main silent for 900s"], h.Timeline());
    }

    [Fact]
    public void Absent_PerSeries_OnlyTheQuietOneFires()
    {
        var h = new EngineHarness(Rule);
        h.Send("home/a/water", "1").Send("home/b/water", "1");
        for (var m = 5; m <= 30; m += 5)
        {
            h.At(m * Minute).Send("home/a/water", "1");
        }

        Assert.Equal(["fire@15:00 meter b silent for 900s"], h.Timeline());
    }

    [Fact]
    public void Absent_AnyPayload_CountsAsAlive()
    {
        var h = new EngineHarness(Rule);
        h.Send("home/main/water", "1").At(10 * Minute).Send("home/main/water", "not a number").At(20 * Minute);
        Assert.Empty(h.Actions);
    }
}
