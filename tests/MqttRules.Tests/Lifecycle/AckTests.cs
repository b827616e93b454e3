using MqttRules.Lifecycle;

namespace MqttRules.Tests.Lifecycle;

/// <summary>Acknowledging a firing rule stops its repeats until it resolves (issue 15).</summary>
public class AckTests
{
    private const string Rules = """
        rules:
          - id: freezer
            topic: kitchen/{room}/temp
            when: value > -10
            repeat: 10m
            actions: [ { tweet: "{{room}} warm {{value}}" }, { log: "warm {{room}}" } ]
            on_resolve: [ { tweet: "{{room}} cold again" } ]
        """;

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void Ack_StopsRepeatNotificationsUntilResolve_NextFireRepeatsAgain()
    {
        using var h = new LifecycleHarness(Rules);
        h.Send("kitchen/a/temp", "0").At(12 * Minute);
        var ack = h.Run(CommandKind.Ack, "freezer");
        h.At(35 * Minute).Send("kitchen/a/temp", "-20").At(36 * Minute).Send("kitchen/a/temp", "1").At(47 * Minute);

        Assert.True(ack.Ok, ack.Message);
        Assert.Equal([
            "fire@00:00 tweet a warm 0", "fire@00:00 log warm a",
            "repeat@10:00 tweet a warm 0", "repeat@10:00 log warm a",
            "repeat@20:00 log warm a", "repeat@30:00 log warm a",
            "resolve@35:00 tweet a cold again",
            "fire@36:00 tweet a warm 1", "fire@36:00 log warm a",
            "repeat@46:00 tweet a warm 1", "repeat@46:00 log warm a",
        ], h.Timeline());
        Assert.Equal(2, h.Metrics.NotificationsHeld(HoldReason.Acknowledged));
    }

    [Fact]
    public void Ack_OneSeriesByTopic_OtherSeriesKeepRepeating()
    {
        using var h = new LifecycleHarness(Rules);
        h.Send("kitchen/a/temp", "0").Send("kitchen/b/temp", "0");
        h.Send("mqttrules/rules/freezer/ack/set", "kitchen/a/temp").At(11 * Minute);

        Assert.Contains("repeat@10:00 tweet b warm 0", h.Timeline());
        Assert.DoesNotContain("repeat@10:00 tweet a warm 0", h.Timeline());
        Assert.True(h.Status("freezer").Series.Single(s => s.Series == "kitchen/a/temp").Acknowledged);
        Assert.False(h.Status("freezer").Series.Single(s => s.Series == "kitchen/b/temp").Acknowledged);
    }

    [Fact]
    public void Ack_EmptyPayload_AcknowledgesEveryFiringSeries()
    {
        using var h = new LifecycleHarness(Rules);
        h.Send("kitchen/a/temp", "0").Send("kitchen/b/temp", "0").Send("kitchen/c/temp", "-30");

        var result = h.Run(CommandKind.Ack, "freezer", "");
        h.At(11 * Minute);

        Assert.Equal("acknowledged 2 firing series: repeats stop until each resolves", result.Message);
        Assert.DoesNotContain(h.Timeline(), a => a.StartsWith("repeat@10:00 tweet", StringComparison.Ordinal));
    }
}
