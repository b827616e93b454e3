using MqttRules.Lifecycle;

namespace MqttRules.Tests.Lifecycle;

/// <summary>
/// Flap detection (<c>flap: {changes, within}</c>, issue 15): notifications held while a series flaps,
/// said once, and the settled state announced once when it differs from what was last sent.
/// </summary>
public class FlapTests
{
    internal const string Rules = """
        rules:
          - id: door
            topic: house/door
            when: value > 0
            flap: { changes: 4, within: 10m }
            actions: [ { tweet: "open" }, { publish: { topic: light/set, payload: "ON" } } ]
            on_resolve: [ { tweet: "closed" } ]
        """;

    /// <summary>Flaps at the third change: 02:00 (a fire), when the last notification sent said resolved (01:00).</summary>
    private static readonly string Rules3 = Rules.Replace("changes: 4", "changes: 3", StringComparison.Ordinal);

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>Open/closed every minute from 00:00 (open) to <paramref name="last"/> minutes.</summary>
    private static LifecycleHarness Flap(LifecycleHarness h, int last)
    {
        for (var m = 0; m <= last; m++)
        {
            h.At(m * Minute).Send("house/door", m % 2 == 0 ? "1" : "0");
        }

        return h;
    }

    [Fact]
    public void Flapping_HoldsNotificationsFromTheNthChange_PublishStillRuns()
    {
        using var h = Flap(new LifecycleHarness(Rules), 6);

        Assert.Equal([
            "fire@00:00 tweet open", "fire@00:00 publish light/set=ON",
            "resolve@01:00 tweet closed",
            "fire@02:00 tweet open", "fire@02:00 publish light/set=ON",
            "fire@04:00 publish light/set=ON",
            "fire@06:00 publish light/set=ON",
        ], h.Timeline());
        Assert.Equal(4, h.Metrics.NotificationsHeld(HoldReason.Flapping));
        var series = Assert.Single(h.Status("door").Series);
        Assert.Equal(EngineHarness.Start.AddMinutes(3), series.FlappingSince);
        Assert.Equal([new FlapChange("door", "house/door", true, EngineHarness.Start.AddMinutes(3))], h.Flaps);
    }

    [Fact]
    public void Flapping_SettlesFiringAfterAResolveWasAnnounced_AnnouncesTheFireOnceAfterWithin()
    {
        using var h = Flap(new LifecycleHarness(Rules3), 4);
        h.At(30 * Minute);

        Assert.Equal("fire@14:00 tweet open", h.Timeline()[^1]);
        Assert.Single(h.Timeline(), a => a.StartsWith("fire@14:00", StringComparison.Ordinal)); // the publish already ran at 04:00
        Assert.Null(Assert.Single(h.Status("door").Series).FlappingSince);
        Assert.Equal([true, false], h.Flaps.Select(f => f.Flapping));
    }

    [Fact]
    public void Flapping_SettlesResolvedAfterAFireWasAnnounced_AnnouncesTheResolveOnce()
    {
        using var h = Flap(new LifecycleHarness(Rules), 5); // last change 05:00: closed, while "open" was the last tweet (02:00)
        h.At(30 * Minute);

        Assert.Equal("resolve@15:00 tweet closed", h.Timeline()[^1]);
    }

    [Fact]
    public void Flapping_SettlesAsLastAnnounced_AnnouncesNothing()
    {
        using var h = Flap(new LifecycleHarness(Rules3), 3); // flaps at 02:00 (fire, held); 03:00 resolved; last sent: resolve 01:00
        var before = h.Timeline().Count;
        h.At(30 * Minute);

        Assert.Equal(before, h.Timeline().Count);
    }

    [Fact]
    public void Flapping_AfterSettling_NotificationsAreNormalAgain()
    {
        using var h = Flap(new LifecycleHarness(Rules3), 4);
        h.At(20 * Minute).Send("house/door", "0").At(25 * Minute).Send("house/door", "1");

        Assert.Equal(["fire@14:00 tweet open", "resolve@20:00 tweet closed", "fire@25:00 tweet open", "fire@25:00 publish light/set=ON"], h.Timeline().TakeLast(4));
    }

    [Fact]
    public void SlowChanges_NeverFlap()
    {
        using var h = new LifecycleHarness(Rules);
        for (var m = 0; m <= 40; m += 4)
        {
            h.At(m * Minute).Send("house/door", m % 8 == 0 ? "1" : "0");
        }

        Assert.Equal(0, h.Metrics.NotificationsHeld(HoldReason.Flapping));
        Assert.Empty(h.Flaps);
    }
}
