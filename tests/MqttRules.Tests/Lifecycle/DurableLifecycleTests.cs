using MqttRules.Lifecycle;

namespace MqttRules.Tests.Lifecycle;

/// <summary>Mutes, acknowledgements and enabled overrides survive a restart through the state file (issue 15).</summary>
public sealed class DurableLifecycleTests : IDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly TempDb db = new();

    public void Dispose() => db.Dispose();

    [Fact]
    public void Mute_SurvivesRestart_AndStillExpiresOnTheClock()
    {
        using (var first = new LifecycleHarness(MuteTests.Rules, db.Path))
        {
            first.Run(CommandKind.MuteRule, "leak", "1h");
            first.Run(CommandKind.MuteNotifier, "family", "1h");
        }

        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(EngineHarness.Start.AddMinutes(10));
        using (var second = new LifecycleHarness(MuteTests.Rules, db.Path, clock))
        {
            second.Send("cellar/water", "1");
            Assert.DoesNotContain(second.Timeline(), a => a.Contains("tweet", StringComparison.Ordinal));
            Assert.Equal(EngineHarness.Start.AddHours(1), second.Status("leak").MutedUntil);

            second.At(70 * Minute).Send("cellar/water", "0");
            Assert.Equal(["resolve@70:00 tweet dry", "resolve@70:00 tweet family: dry"], second.Timeline().TakeLast(2));
        }
    }

    [Fact]
    public void Ack_SurvivesRestart_RepeatsStayStopped()
    {
        const string rules = """
            rules:
              - id: warm
                topic: fridge/temp
                when: value > 8
                repeat: 10m
                actions: [ { tweet: "warm {{value}}" } ]
            """;
        using (var first = new LifecycleHarness(rules, db.Path))
        {
            first.Send("fridge/temp", "9");
            Assert.True(first.Run(CommandKind.Ack, "warm").Ok);
        }

        using var second = new LifecycleHarness(rules, db.Path);
        second.At(25 * Minute);

        Assert.Empty(second.Actions);
        Assert.True(Assert.Single(second.Status("warm").Series).Acknowledged);
        Assert.Equal(2, second.Metrics.NotificationsHeld(HoldReason.Acknowledged));
    }

    [Fact]
    public void EnabledOverride_SurvivesRestart()
    {
        const string rules = """
            rules:
              - id: porch
                topic: porch/motion
                when: value > 0
                actions: [ { log: "motion" } ]
            """;
        using (var first = new LifecycleHarness(rules, db.Path))
        {
            first.Send("mqttrules/rules/porch/enabled/set", "OFF");
        }

        using var second = new LifecycleHarness(rules, db.Path);
        second.Send("porch/motion", "1");

        Assert.Empty(second.Actions);
        Assert.Equal(["porch=OFF"], second.Published);
    }
}
