using System.Text.Json.Nodes;
using MqttRules.Loading;
using MqttRules.Rules;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Notifiers;

/// <summary>The extended notifier form: how it is read, checked, described by the schema and replayed.</summary>
public class NotifierFormTests
{
    private static readonly JsonObject Definitions = JsonNode.Parse(RuleSchema.Json)!["definitions"]!.AsObject();

    private static string Notifier(string body) => $$$"""
        notifiers:
          phone:
        {{{body}}}
        rules:
          - id: too-warm
            topic: "sensors/{room}/temp"
            when: value > 30
            actions:
              - notify: { to: phone, message: "{{room}} at {{value}} C" }
        """;

    [Fact]
    public void Form_ChannelsGroupQuiet_ReadIntoTheNotify()
    {
        var rules = Yaml.Rules(GroupTests.Rules.Replace("interval: 5m, ", "", StringComparison.Ordinal));
        var notify = Assert.IsType<NotifySpec>(rules.Rules[0].Actions[0]);

        Assert.Equal([ActionKind.Tweet, ActionKind.Webhook], notify.Channels.Select(c => c.Kind));
        Assert.Equal(new GroupSpec(TimeSpan.FromSeconds(30), GroupSpec.DefaultInterval, 10), notify.Policy!.Group);
        Assert.Null(notify.Policy.Quiet);
    }

    [Fact]
    public void Form_SingleAction_StaysAsBefore()
    {
        var notify = Assert.IsType<NotifySpec>(Yaml.Rules(Notifier("    tweet: \"{{message}}\"")).Rules[0].Actions[0]);

        Assert.IsType<TweetSpec>(notify.Target);
        Assert.Empty(notify.Fallbacks);
        Assert.Null(notify.Policy);
    }

    [Theory]
    [InlineData("    chanels: [ { tweet: x } ]", "3:5", "unknown key 'chanels' in notifier 'phone'; did you mean 'channels'?")]
    [InlineData("    channels: []", "3:15", "notifier 'phone' needs 'channels:'")]
    [InlineData("    group: { wait: 30s }", "3:5", "notifier 'phone' needs 'channels:'")]
    [InlineData("    channels: [ { tweet: x } ]\n    group: { waits: 30s }", "4:14", "unknown key 'waits' in 'group'; did you mean 'wait'?")]
    [InlineData("    channels: [ { tweet: x } ]\n    group: { max_lines: 0 }", "4:25", "'max_lines' must be a number from 1 to 1000")]
    [InlineData("    channels: [ { tweet: x } ]\n    group: { wait: soon }", "4:20", "'wait: soon' is not a duration")]
    [InlineData("    channels: [ { tweet: x }, { log: y } ]", "3:33", "a log cannot be one of several channels")]
    [InlineData("    channels: [ { notify: { to: phone } } ]", "3:19", "a notifier cannot notify another notifier")]
    public void Form_Mistake_ClearProblemAtItsPlace(string body, string position, string fragment) =>
        Yaml.SingleProblem(Notifier(body), position, fragment);

    [Fact]
    public void Schema_KnowsEveryNotifierKeyTheReaderKnows()
    {
        var notifier = Definitions["notifier"]!["properties"]!;
        Assert.Equal(Sorted(NotifierReader.Keys), Keys(notifier));
        Assert.Equal(Sorted(NotifierReader.GroupKeys), Keys(notifier["group"]!["properties"]!));
        Assert.Equal(Sorted(NotifierReader.QuietKeys), Keys(notifier["quiet_hours"]!["properties"]!));
    }

    [Fact]
    public void Replay_StormOfTenSeries_OneDigestLineOnTheVirtualClock()
    {
        var input = string.Join("\n", Enumerable.Range(0, 10).Select(i => $"{{\"t\": {i}, \"topic\": \"sensors/r{i}/temp\", \"payload\": 35}}"))
            + "\n{\"t\": 100, \"topic\": \"sensors/r0/temp\", \"payload\": 20}\n";

        var outcome = CliRunner.Replay(GroupTests.Rules.Replace("max_lines: 10", "max_lines: 3", StringComparison.Ordinal), input);

        Assert.Equal(0, outcome.ExitCode);
        var line = Assert.Single(outcome.Lines);
        Assert.StartsWith("{\"t\":\"2026-01-01T00:00:30.000Z\",\"rule\":\"too-warm\",\"event\":\"digest\",\"series\":null,\"action\":\"tweet\",\"notifier\":\"phone\",", line, StringComparison.Ordinal);
        Assert.Contains("r0 at 35 C\\nr1 at 35 C\\nr2 at 35 C\\n… and 7 more", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_QuietHours_AlertPrintedAtTheWindowEnd()
    {
        var rules = QuietHoursTests.Rules("{ from: \"00:00\", to: \"00:10\" }");
        var input = "{\"t\": 60, \"topic\": \"sensors/attic/temp\", \"payload\": 35}\n{\"t\": 900, \"topic\": \"sensors/attic/temp\", \"payload\": 20}\n";

        var line = Assert.Single(CliRunner.Replay(rules, input).Lines);

        Assert.StartsWith("{\"t\":\"2026-01-01T00:10:00.000Z\",\"rule\":\"too-warm\",\"event\":\"fire\",\"series\":\"sensors/attic/temp\"", line, StringComparison.Ordinal);
    }

    private static string[] Sorted(IEnumerable<string> keys) => [.. keys.Order(StringComparer.Ordinal)];

    private static string[] Keys(JsonNode properties) => Sorted(properties.AsObject().Select(p => p.Key));
}
