using MqttRules.Tests.Support;

namespace MqttRules.Tests.Engine;

/// <summary><c>cooldown:</c> is the minimum time between two fires of a series; a fire due within it is held back (SPEC §5).</summary>
public class CooldownTests
{
    private const string Rule = """
        rules:
          - id: hot
            topic: room/temp
            when: value > 25
            cooldown: 10m
            actions: [ { log: "hot {{value}} for {{duration}}s" } ]
            on_resolve: [ { log: "cool {{value}}" } ]
        """;

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void Cooldown_FireDueWithinIt_HeldBackUntilItEndsWithTheLatestMessage()
    {
        var h = new EngineHarness(Rule);
        h.Send("room/temp", "26").At(Minute).Send("room/temp", "20")
            .At(2 * Minute).Send("room/temp", "27")
            .At(5 * Minute).Send("room/temp", "29");
        Assert.Equal(["fire@00:00 hot 26 for 0s", "resolve@01:00 cool 20"], h.Timeline());

        h.At(10 * Minute);

        Assert.Equal(["fire@00:00 hot 26 for 0s", "resolve@01:00 cool 20", "fire@10:00 hot 29 for 480s"], h.Timeline());
    }

    [Fact]
    public void Cooldown_HeldBackFireResolvesFirst_ProducesNothing()
    {
        var h = new EngineHarness(Rule);
        h.Send("room/temp", "26").At(Minute).Send("room/temp", "20")
            .At(2 * Minute).Send("room/temp", "27")
            .At(3 * Minute).Send("room/temp", "21")
            .At(30 * Minute);
        Assert.Equal(["fire@00:00 hot 26 for 0s", "resolve@01:00 cool 20"], h.Timeline());
    }

    [Fact]
    public void Cooldown_NewExcursionAfterCooldown_FiresAtOnce()
    {
        var h = new EngineHarness(Rule);
        h.Send("room/temp", "26").At(Minute).Send("room/temp", "20").At(12 * Minute).Send("room/temp", "27");
        Assert.Equal(["fire@00:00 hot 26 for 0s", "resolve@01:00 cool 20", "fire@12:00 hot 27 for 0s"], h.Timeline());
    }

    [Fact]
    public void Cooldown_HeldBackThenResolvedThenAgain_FiresAtCooldownEndOnlyOnce()
    {
        var h = new EngineHarness(Rule);
        h.Send("room/temp", "26").At(Minute).Send("room/temp", "20")
            .At(2 * Minute).Send("room/temp", "27")
            .At(3 * Minute).Send("room/temp", "21")
            .At(4 * Minute).Send("room/temp", "28")
            .At(20 * Minute);
        Assert.Equal(["fire@00:00 hot 26 for 0s", "resolve@01:00 cool 20", "fire@10:00 hot 28 for 360s"], h.Timeline());
    }

    [Fact]
    public void Cooldown_WithFor_PendingEndsInsideCooldown_HeldBack()
    {
        var h = new EngineHarness(Rule.Replace("cooldown: 10m", "cooldown: 10m\n    for: 2m", StringComparison.Ordinal));
        h.Send("room/temp", "26").At(3 * Minute).Send("room/temp", "20")
            .At(4 * Minute).Send("room/temp", "27")
            .At(15 * Minute);
        Assert.Equal(["fire@02:00 hot 26 for 120s", "resolve@03:00 cool 20", "fire@12:00 hot 27 for 480s"], h.Timeline());
    }

    [Fact]
    public void Cooldown_PerSeries_OtherSeriesNotHeldBack()
    {
        var h = new EngineHarness(Rule.Replace("room/temp", "room/+/temp", StringComparison.Ordinal));
        h.Send("room/a/temp", "26").Send("room/a/temp", "20").Send("room/b/temp", "26");
        Assert.Equal(["fire@00:00 hot 26 for 0s", "resolve@00:00 cool 20", "fire@00:00 hot 26 for 0s"], h.Timeline());
        Assert.Equal("room/b/temp", h.Actions[2].Series);
    }

    [Fact]
    public void Cooldown_WithClear_HeldBackFireStillDueWhileNotCleared()
    {
        var h = new EngineHarness("""
            rules:
              - id: freezer
                topic: freezer
                when: value > -10
                clear: value < -15
                cooldown: 10m
                actions: [ { log: "warm {{value}}" } ]
                on_resolve: [ { log: "cold {{value}}" } ]
            """);
        h.Send("freezer", "-5").At(Minute).Send("freezer", "-16")
            .At(2 * Minute).Send("freezer", "-5")
            .At(3 * Minute).Send("freezer", "-12")
            .At(10 * Minute);
        Assert.Equal(["fire@00:00 warm -5", "resolve@01:00 cold -16", "fire@10:00 warm -12"], h.Timeline());
    }
}
