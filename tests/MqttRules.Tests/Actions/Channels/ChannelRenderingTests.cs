using MqttRules.Loading;
using MqttRules.Replay;

namespace MqttRules.Tests.Actions.Channels;

/// <summary>The chat channels as rules write them and as replay prints them; webhook URLs and tokens never appear.</summary>
public class ChannelRenderingTests
{
    private const string Rules = """
        notifiers:
          phone: { ntfy: { topic: house-alerts, message: "{{message}}", title: "{{room}}", priority: high, tags: "warning, {{room}}" } }
        rules:
          - id: hot
            topic: home/{room}/t
            when: value > 30
            actions:
              - mastodon: { status: "{{room}} at {{value}} C", visibility: unlisted, spoiler_text: heat }
              - notify: { to: phone, message: "{{room}} at {{value}} C" }
              - telegram: "{{room}} at {{value}} C"
              - telegram: { text: hot, chat_id: "@house" }
              - slack: { text: "{{room}} at {{value}} C", url: "https://hooks.slack.example/services/T/B/own-s3cret" }
              - discord: { content: "{{room}} at {{value}} C", username: house }
        """;

    [Fact]
    public void Replay_EveryChannel_PrintsItsFieldsWithoutSecrets()
    {
        var h = new EngineHarness(Rules);

        h.Send("home/kitchen/t", "31");

        var lines = h.Actions.Select(ActionJson.ToJson).ToList();
        const string head = """{"t":"2026-01-01T00:00:00.000Z","rule":"hot","event":"fire","series":"home/kitchen/t",""";
        Assert.Equal(
        [
            head + "\"action\":\"mastodon\",\"status\":\"kitchen at 31 C\",\"visibility\":\"unlisted\",\"spoiler_text\":\"heat\"}",
            head + "\"action\":\"ntfy\",\"notifier\":\"phone\",\"topic\":\"house-alerts\",\"title\":\"kitchen\",\"body\":\"kitchen at 31 C\",\"priority\":4,\"tags\":[\"warning\",\"kitchen\"],\"click\":null,\"message\":\"kitchen at 31 C\"}",
            head + "\"action\":\"telegram\",\"chat_id\":null,\"text\":\"kitchen at 31 C\"}",
            head + "\"action\":\"telegram\",\"chat_id\":\"@house\",\"text\":\"hot\"}",
            head + "\"action\":\"slack\",\"text\":\"kitchen at 31 C\"}",
            head + "\"action\":\"discord\",\"content\":\"kitchen at 31 C\",\"username\":\"house\"}",
        ], lines);
        Assert.DoesNotContain(h.Actions, a => MqttRules.Actions.ActionText.Describe(a).Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public void Replay_LongMastodonStatus_PrintedAsItWouldBeSent()
    {
        var h = new EngineHarness("""
            rules:
              - id: long
                topic: t
                when: "true"
                each_message: true
                actions:
                  - mastodon: "{{payload}}"
            """);

        h.Send("t", new string('w', 600));

        var status = h.Actions.Single().As<MqttRules.Actions.Mastodon.MastodonAction>().ShortStatus();
        Assert.Equal(500, status.Length);
        Assert.Contains($"\"status\":\"{status}\"", ActionJson.ToJson(h.Actions.Single()), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NtfyTopicFromATemplateThatIsNotATopic_ActionNotRunOthersAre()
    {
        var h = new EngineHarness("""
            rules:
              - id: t
                topic: home/{room}/t
                when: "true"
                each_message: true
                actions:
                  - ntfy: { topic: "alerts {{room}}", message: x }
                  - log: still runs
            """);

        h.Send("home/kitchen/t", "1");

        Assert.Equal("still runs", Assert.Single(h.Actions).LogMessage());
    }

    [Theory]
    [InlineData("- mastodon: { visibility: public }", "missing 'status'")]
    [InlineData("- telegram: { chat_id: 1 }", "missing 'text'")]
    [InlineData("- ntfy: hi", "'ntfy' takes a mapping")]
    [InlineData("- ntfy: { topic: t, priority: loud }", "ntfy priority must be 1 to 5")]
    [InlineData("- slack: { text: x, urll: y }", "urll")]
    [InlineData("- discord: { content: x, url: \"not-a-url-s3cret\" }", "not an http:// or https:// URL")]
    public void Load_ChannelMistake_ProblemAtItsPositionWithoutTheSecret(string action, string expected)
    {
        var yaml = $"rules:\n  - id: a\n    topic: t\n    when: value > 1\n    actions:\n      {action}\n";

        var problem = Assert.Single(RuleLoader.LoadText(yaml, env: _ => null).Problems);

        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
        Assert.Equal(6, problem.Location.Line);
        Assert.DoesNotContain("s3cret", problem.ToString(), StringComparison.Ordinal);
    }
}
