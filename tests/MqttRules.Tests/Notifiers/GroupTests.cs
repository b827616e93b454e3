using MqttRules.Actions;
using MqttRules.Actions.Tweet;
using MqttRules.Actions.Webhook;

namespace MqttRules.Tests.Notifiers;

/// <summary>Storm control: a grouped notifier sends one digest for the alerts within <c>wait</c> of the first (issue 15, point 4).</summary>
public class GroupTests
{
    internal const string Rules = """
        notifiers:
          phone:
            channels:
              - tweet: "{{message}}"
              - webhook: { url: "http://127.0.0.1:9/backup", body: { text: "{{message}}" } }
            group: { wait: 30s, interval: 5m, max_lines: 10 }
        rules:
          - id: too-warm
            topic: "sensors/{room}/temp"
            when: value > 30
            actions:
              - notify: { to: phone, message: "{{room}} at {{value}} C" }
        """;

    [Fact]
    public void Group_100AlertsFrom100Series_OneDigestOfTenLinesAndTheRestCounted()
    {
        var h = new EngineHarness(Rules);
        for (var i = 0; i < 100; i++)
        {
            h.Send($"sensors/room{i:000}/temp", "35");
            h.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Empty(h.Actions);
        h.At(TimeSpan.FromSeconds(30));

        var digest = Assert.Single(h.Actions);
        Assert.Equal(RuleEvent.Digest, digest.Event);
        Assert.Equal(EngineHarness.Start + TimeSpan.FromSeconds(30), digest.Time);
        var lines = digest.As<TweetAction>().Text.Split('\n');
        Assert.Equal(11, lines.Length);
        Assert.Equal("room000 at 35 C", lines[0]);
        Assert.Equal("room009 at 35 C", lines[9]);
        Assert.Equal("… and 90 more", lines[10]);
        Assert.Equal("phone", digest.Notifier);
        Assert.Equal("too-warm", digest.RuleId);
        Assert.Null(digest.Series);

        h.At(TimeSpan.FromHours(1));
        Assert.Single(h.Actions);
    }

    [Fact]
    public void Group_DigestCarriesTheOtherChannelsRenderedWithTheDigest()
    {
        var h = new EngineHarness(Rules);
        h.Send("sensors/attic/temp", "31").Send("sensors/cellar/temp", "32");
        h.At(TimeSpan.FromSeconds(30));

        var digest = Assert.Single(h.Actions);
        var backup = Assert.Single(digest.Fallbacks!).As<WebhookAction>();
        Assert.Equal("{\"text\":\"attic at 31 C\\ncellar at 32 C\"}", backup.Body);
    }

    [Fact]
    public void Group_AlertsAfterADigest_NextDigestNoSoonerThanTheInterval()
    {
        var h = new EngineHarness(Rules);
        h.Send("sensors/attic/temp", "31");
        h.At(TimeSpan.FromMinutes(1)).Send("sensors/cellar/temp", "32");
        h.At(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(29));
        Assert.Single(h.Actions);

        h.At(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(30));

        Assert.Equal(["digest@00:30 attic at 31 C", "digest@05:30 cellar at 32 C"], h.Actions.Select(Timeline));
    }

    [Fact]
    public void Group_AfterAQuietInterval_WaitsOnlyTheGroupWait()
    {
        var h = new EngineHarness(Rules);
        h.Send("sensors/attic/temp", "31");
        h.At(TimeSpan.FromMinutes(20)).Send("sensors/cellar/temp", "32");
        h.At(TimeSpan.FromMinutes(21));

        Assert.Equal(["digest@00:30 attic at 31 C", "digest@20:30 cellar at 32 C"], h.Actions.Select(Timeline));
    }

    [Fact]
    public void Group_ReloadWithoutGroup_HeldAlertsGoOutAsTheyWere()
    {
        var h = new EngineHarness(Rules);
        h.Send("sensors/attic/temp", "31");
        h.Engine.Reload(Yaml.Rules(Rules.Replace("    group: { wait: 30s, interval: 5m, max_lines: 10 }\n", "", StringComparison.Ordinal)));
        h.Advance(TimeSpan.FromSeconds(1));

        var alert = Assert.Single(h.Actions);
        Assert.Equal(RuleEvent.Fire, alert.Event);
        Assert.Equal("attic at 31 C", alert.NotifyMessage);
    }

    [Fact]
    public void Group_TemplateUsesARuleVariable_ProblemSaysOnlyMessage()
    {
        var yaml = Rules.Replace("tweet: \"{{message}}\"", "tweet: \"{{room}}: {{message}}\"", StringComparison.Ordinal);
        var problem = Assert.Single(Yaml.Problems(yaml));
        Assert.Contains("'room' refers to nothing: a grouped notifier renders one digest of many alerts, so its templates see only 'message'", problem, StringComparison.Ordinal);
        Assert.StartsWith("rules.yaml:4:", problem, StringComparison.Ordinal);
    }

    internal static string Timeline(RenderedAction a)
    {
        var offset = a.Time - EngineHarness.Start;
        var text = a is TweetAction t ? t.Text : a.NotifyMessage;
        return $"{RenderedAction.EventName(a.Event)}@{(int)offset.TotalMinutes:00}:{offset.Seconds:00} {text}";
    }
}
