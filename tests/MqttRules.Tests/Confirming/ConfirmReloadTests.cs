using MqttRules.Tests.Support;
using static MqttRules.Tests.Confirming.ConfirmRules;

namespace MqttRules.Tests.Confirming;

/// <summary>A reload between two messages: what happens to a publish still waiting for its confirmation.</summary>
public class ConfirmReloadTests
{
    [Fact]
    public void Reload_SameRule_WaitGoesOnToTheTick()
    {
        var h = new EngineHarness(Valve);
        h.Send("home/a/leak", """{"leak": true}""").At(5 * Second);

        h.Engine.Reload(Yaml.Rules(Valve));
        h.At(10 * Second - TimeSpan.FromMilliseconds(1));
        Assert.Single(h.Actions);
        h.At(10 * Second);

        Assert.Equal("retry@00:10 valves/a/set=CLOSE", h.Timeline()[^1]);
    }

    [Fact]
    public void Reload_RetriesChanged_NewSettingsApplyToTheWait()
    {
        var h = new EngineHarness(Valve);
        h.Send("home/a/leak", """{"leak": true}""").At(5 * Second);

        h.Engine.Reload(Yaml.Rules(Valve.Replace("retries: 2", "retries: 0", StringComparison.Ordinal)));
        h.At(60 * Second);

        Assert.Equal(["fire@00:00 valves/a/set=CLOSE", "unconfirmed@00:10 valve a did not close after 1 sends (valves/a/state silent)"], h.Timeline());
    }

    [Fact]
    public void Reload_ConfirmRemoved_WaitDroppedNothingMoreSent()
    {
        var h = new EngineHarness(Valve);
        h.Send("home/a/leak", """{"leak": true}""").At(5 * Second);

        const string withoutConfirm = """
            rules:
              - id: valve
                topic: "home/{meter}/leak"
                when: leak
                actions:
                  - publish: { topic: "valves/{{meter}}/set", payload: CLOSE, qos: 1 }
            """;
        h.Engine.Reload(Yaml.Rules(withoutConfirm));
        h.At(60 * Second);

        Assert.Equal(["fire@00:00 valves/a/set=CLOSE"], h.Timeline());
        Assert.Equal(0, h.Engine.PendingConfirmations);
        Assert.Equal(["home/+/leak"], h.Engine.Subscriptions);
    }

    [Fact]
    public void Reload_ConfirmAdded_ConfirmTopicSubscribed()
    {
        var h = new EngineHarness("""
            rules:
              - id: other
                topic: a/b
                when: value > 1
                actions: [ { log: x } ]
            """);

        h.Engine.Reload(Yaml.Rules(Valve));

        Assert.Contains("valves/+/state", h.Engine.Subscriptions);
    }
}
