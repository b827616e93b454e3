using MqttRules.Lifecycle;

namespace MqttRules.Tests.Lifecycle;

/// <summary>Muting a rule or a notifier at run time (issue 15): notifications held, publish and log still run, the mute ends on the clock.</summary>
public class MuteTests
{
    internal const string Rules = """
        notifiers:
          ops:
            tweet: "ops: {{message}}"
          family:
            tweet: "family: {{message}}"
        rules:
          - id: leak
            topic: cellar/water
            when: value > 0
            repeat: 10m
            actions:
              - tweet: "leak {{value}}"
              - notify: { to: ops, message: "leak {{value}}" }
              - publish: { topic: valves/cellar/set, payload: CLOSE }
              - log: "leak {{value}}"
            on_resolve:
              - tweet: dry
              - notify: { to: family, message: dry }
        """;

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void MutedRule_HoldsNotificationsButPublishesAndLogs_CountedAsMuted()
    {
        using var h = new LifecycleHarness(Rules);

        var result = h.Run(CommandKind.MuteRule, "leak", "30m");
        h.Send("cellar/water", "1");

        Assert.True(result.Ok);
        Assert.Equal("muted until 2026-01-01T00:30:00.000Z", result.Message);
        Assert.Equal(["fire@00:00 publish valves/cellar/set=CLOSE", "fire@00:00 log leak 1"], h.Timeline());
        Assert.Equal(2, h.Metrics.NotificationsHeld(HoldReason.Muted));
        Assert.Contains("mqttrules_notifications_held_total{reason=\"muted\"} 2", h.Metrics.ToPrometheusText());
        Assert.Equal(EngineHarness.Start.AddMinutes(30), h.Status("leak").MutedUntil);
    }

    [Fact]
    public void MutedRule_MuteExpiresOnTheClock_RepeatsNotifyAgain()
    {
        using var h = new LifecycleHarness(Rules);
        h.Run(CommandKind.MuteRule, "leak", "15m");
        h.Send("cellar/water", "1").At(21 * Minute);

        Assert.Equal(["fire@00:00 publish valves/cellar/set=CLOSE", "fire@00:00 log leak 1",
            "repeat@10:00 publish valves/cellar/set=CLOSE", "repeat@10:00 log leak 1",
            "repeat@20:00 tweet leak 1", "repeat@20:00 tweet ops: leak 1", "repeat@20:00 publish valves/cellar/set=CLOSE", "repeat@20:00 log leak 1"], h.Timeline());
        Assert.Null(h.Status("leak").MutedUntil);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("0")]
    [InlineData("")]
    [InlineData("  OFF ")]
    public void Unmute_OffZeroOrEmpty_NotificationsGoOutAgain(string payload)
    {
        using var h = new LifecycleHarness(Rules);
        h.Run(CommandKind.MuteRule, "leak", "2h");

        Assert.Equal("unmuted", h.Run(CommandKind.MuteRule, "leak", payload).Message);
        h.Send("cellar/water", "1");
        Assert.Contains("fire@00:00 tweet leak 1", h.Timeline());
    }

    [Fact]
    public void MutedNotifier_HoldsOnlyItsNotifyActions()
    {
        using var h = new LifecycleHarness(Rules);
        h.Run(CommandKind.MuteNotifier, "ops", "1h");
        h.Send("cellar/water", "1").At(2 * Minute).Send("cellar/water", "0");

        Assert.Equal(["fire@00:00 tweet leak 1", "fire@00:00 publish valves/cellar/set=CLOSE", "fire@00:00 log leak 1",
            "resolve@02:00 tweet dry", "resolve@02:00 tweet family: dry"], h.Timeline());
        Assert.Equal(1, h.Metrics.NotificationsHeld(HoldReason.Muted));
    }

    [Fact]
    public void MuteCommand_OverMqttTopic_MutesTheRule()
    {
        using var h = new LifecycleHarness(Rules);
        h.Send("mqttrules/rules/leak/mute/set", "1h").Send("cellar/water", "1");

        Assert.DoesNotContain(h.Timeline(), a => a.Contains("tweet", StringComparison.Ordinal));
        Assert.Equal(1, h.Metrics.Messages); // the command is no message for the rules
    }

    [Theory]
    [InlineData(CommandKind.MuteRule, "nope", "30m", 404, "no rule 'nope'")]
    [InlineData(CommandKind.MuteNotifier, "nope", "30m", 404, "no notifier 'nope'")]
    [InlineData(CommandKind.MuteRule, "leak", "soon", 400, "send a duration such as 30m")]
    [InlineData(CommandKind.Enable, "leak", "maybe", 400, "send ON or OFF")]
    [InlineData(CommandKind.Ack, "leak", "", 409, "has no firing series")]
    [InlineData(CommandKind.Ack, "leak", "cellar/other", 409, "is not firing")]
    public void BadCommand_RefusedWithAReason(CommandKind kind, string name, string payload, int status, string reason)
    {
        using var h = new LifecycleHarness(Rules);

        var result = h.Run(kind, name, payload);

        Assert.False(result.Ok);
        Assert.Equal(status, result.Status);
        Assert.Contains(reason, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MutedRule_NewChannelKinds_AreNotificationsToo()
    {
        const string rules = """
            rules:
              - id: water
                topic: meter/flow
                when: value > 10
                actions:
                  - ntfy: { topic: house-alerts, message: "flow {{value}}" }
                  - log: "flow {{value}}"
            """;
        using var h = new LifecycleHarness(rules);
        h.Run(CommandKind.MuteRule, "water", "1h");
        h.Send("meter/flow", "12");

        Assert.Equal(["fire@00:00 log flow 12"], h.Timeline());
        Assert.Equal(1, h.Metrics.NotificationsHeld(HoldReason.Muted));
    }
}
