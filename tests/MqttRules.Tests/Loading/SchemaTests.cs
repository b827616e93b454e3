using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using MqttRules.Loading;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Loading;

/// <summary>
/// schema/mqttrules-rules.schema.json (what editors read, and what 'mqttrules schema' prints)
/// accepts every rule file we ship or document, knows every key the loader knows, and rejects
/// the mistakes the loader rejects.
/// </summary>
public sealed partial class SchemaTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(RuleSchema.Json);
    private static readonly JsonObject Definitions = JsonNode.Parse(RuleSchema.Json)!["definitions"]!.AsObject();
    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List };

    public static TheoryData<string> RuleFiles()
    {
        var root = RepoRoot.Path;
        var files = Directory.GetFiles(Path.Combine(root, "rules"), "*.yaml")
            .Concat(Directory.GetFiles(Path.Combine(root, "samples"), "*.yaml", SearchOption.AllDirectories))
            .Where(f => !RuleLoader.IsTestFile(f))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        return [.. files];
    }

    public static TheoryData<string> DocExamples()
    {
        var data = new TheoryData<string>();
        foreach (var (doc, index, _) in DocBlocks())
        {
            data.Add($"{doc}#{index}");
        }

        return data;
    }

    [Fact]
    public void SchemaFile_IsWhatTheCliPrints()
    {
        var onDisk = File.ReadAllText(Path.Combine(RepoRoot.Path, "schema", "mqttrules-rules.schema.json"));
        var stdout = new StringWriter();

        var code = MqttRules.Cli.SchemaCommand.Run(stdout);

        Assert.Equal(0, code);
        Assert.Equal(onDisk, stdout.ToString());
    }

    [Theory]
    [MemberData(nameof(RuleFiles))]
    public void BundledRuleFile_ValidAgainstSchema_AndCarriesEditorComment(string relative)
    {
        var path = Path.Combine(RepoRoot.Path, relative);
        var text = File.ReadAllText(path);
        var depth = relative.Count(c => c == '/');

        Assert.Empty(Errors(text));
        Assert.Empty(RuleLoader.Load(path, _ => null).Problems);
        Assert.StartsWith($"# yaml-language-server: $schema={string.Concat(Enumerable.Repeat("../", depth))}schema/mqttrules-rules.schema.json\n", text.ReplaceLineEndings("\n"));
    }

    [Theory]
    [MemberData(nameof(DocExamples))]
    public void DocumentedRuleFile_ValidAgainstSchema(string example)
    {
        var yaml = DocBlocks().Single(b => $"{b.Doc}#{b.Index}" == example).Yaml;

        Assert.Empty(Errors(yaml));
    }

    [Fact]
    public void Schema_KnowsEveryKeyTheLoaderKnows()
    {
        var root = JsonNode.Parse(RuleSchema.Json)!.AsObject();

        Assert.Equal(Sorted(RuleLoader.FileKeys), Keys(root["properties"]!));
        Assert.Equal(Sorted(RuleReader.Keys), Keys(Definitions["rule"]!["properties"]!));
        Assert.Equal(Sorted(RuleReader.AnomalyKeys), Keys(Definitions["anomaly"]!["properties"]!));
        Assert.Equal(Sorted(RuleReader.FlapKeys), Keys(Definitions["flap"]!["properties"]!));
        Assert.Equal(Sorted(ActionReader.Kinds), Sorted(Definitions["action"]!["oneOf"]!.AsArray().Select(KindOf)));
        Assert.Equal(Sorted(ActionReader.PublishKeys), Keys(ActionBody("publish")["properties"]!));
        Assert.Equal(Sorted(ActionReader.TweetKeys), Keys(ActionBody("tweet")["anyOf"]![1]!["properties"]!));
        Assert.Equal(Sorted(ActionReader.WebhookKeys), Keys(ActionBody("webhook")["properties"]!));
        Assert.Equal(Sorted(ActionReader.EmailKeys), Keys(ActionBody("email")["properties"]!));
        Assert.Equal(Sorted(ActionReader.MastodonKeys), Keys(ActionBody("mastodon")["anyOf"]![1]!["properties"]!));
        Assert.Equal(Sorted(ActionReader.NtfyKeys), Keys(ActionBody("ntfy")["properties"]!));
        Assert.Equal(Sorted(ActionReader.TelegramKeys), Keys(ActionBody("telegram")["anyOf"]![1]!["properties"]!));
        Assert.Equal(Sorted(ActionReader.SlackKeys), Keys(ActionBody("slack")["anyOf"]![1]!["properties"]!));
        Assert.Equal(Sorted(ActionReader.DiscordKeys), Keys(ActionBody("discord")["anyOf"]![1]!["properties"]!));
        Assert.Equal(Sorted(ActionReader.NotifyKeys), Keys(ActionBody("notify")["properties"]!));
        Assert.Equal(Sorted(ActionReader.LogKeys), Keys(ActionBody("log")["anyOf"]![1]!["properties"]!));
    }

    [Fact]
    public void Schema_AcceptsEveryLogLevelAndWebhookMethodTheLoaderAccepts()
    {
        foreach (var level in ActionReader.Levels)
        {
            Assert.Empty(Errors(OneRule($"- log: {{ message: hi, level: {level} }}")));
        }

        foreach (var method in ActionReader.Methods)
        {
            Assert.Empty(Errors(OneRule($"- webhook: {{ url: https://example.com/h, method: {method.ToLowerInvariant()} }}")));
        }

        Assert.NotEmpty(Errors(OneRule("- log: { message: hi, level: verbose }")));
        Assert.NotEmpty(Errors(OneRule("- webhook: { url: https://example.com/h, method: FETCH }")));
    }

    [Theory]
    [InlineData("rules:\n  - id: a\n    topic: t\n    when: value > 1\n    cooldwn: 5m\n    actions:\n      - log: x\n", "unknown rule key")]
    [InlineData("rules:\n  - id: a\n    topic: t\n    when: value > 1\n    for: soon\n    actions:\n      - log: x\n", "duration that is not one")]
    [InlineData("rules:\n  - id: a\n    topic: t\n    when: value > 1\n    actions:\n      - publish: { topic: x, qos: 3 }\n", "qos out of range")]
    [InlineData("rules:\n  - id: a\n    topic: t\n    when: value > 1\n    actions:\n      - sms: hi\n", "unknown action")]
    [InlineData("rules:\n  - id: a\n    topic: t\n    when: value > 1\n    actions:\n      - log: x\n        tweet: y\n", "two actions in one item")]
    [InlineData("rules:\n  - id: a\n    topic: t\n    anomaly: { method: mad }\n    actions:\n      - log: x\n", "unknown anomaly method")]
    [InlineData("rules:\n  - id: a\n    topic: t\n    schedule: 0 * * * *\n    actions:\n      - log: x\n", "two triggers")]
    [InlineData("rules:\n  - id: a\n    when: value > 1\n    actions:\n      - log: x\n", "no trigger")]
    [InlineData("rules:\n  - id: a\n    topic: [t]\n    when: value > 1\n    actions:\n      - log: x\n", "topic is a list")]
    [InlineData("rules:\n  - id: a\n    topic: t\n    each_message: maybe\n    actions:\n      - log: x\n", "not a boolean")]
    [InlineData("rules: []\nnotifiers:\n  ops: { notify: { to: ops } }\n", "notifier that notifies")]
    [InlineData("rule: []\n", "unknown top-level key")]
    public void BrokenFile_RejectedBySchemaAndLoader(string yaml, string why)
    {
        Assert.True(Errors(yaml).Count > 0, $"schema accepted a file with {why}");
        Assert.NotEmpty(RuleLoader.LoadText(yaml).Problems);
    }

    [Fact]
    public void EnvironmentVariables_AcceptedInTypedScalars()
    {
        var yaml = OneRule("- publish: { topic: x, qos: \"${QOS:-1}\", retain: \"${RETAIN}\" }").Replace("    actions:", "    cooldown: ${COOLDOWN:-5m}\n    actions:", StringComparison.Ordinal);

        Assert.Empty(Errors(yaml));
    }

    [Fact]
    public void ChannelForms_ValidAgainstSchemaAndLoader()
    {
        const string yaml = """
            notifiers:
              toot: { mastodon: { status: "{{message}}", visibility: unlisted, spoiler_text: alarm } }
              phone: { ntfy: { topic: house-alerts, message: "{{message}}", title: Alarm, priority: high, tags: [warning, "{{room}}"], click: "https://example.com" } }
              chat: { telegram: { text: "{{message}}", chat_id: -100123 } }
            rules:
              - id: channels
                topic: home/{room}/t
                when: value > 30
                actions:
                  - notify: { to: toot, message: hot }
                  - notify: { to: phone, message: hot }
                  - notify: { to: chat, message: hot }
                  - mastodon: "{{room}} is {{value}}"
                  - ntfy: { topic: "room-{{room}}", priority: 5, tags: "a, b" }
                  - telegram: "{{room}} is {{value}}"
                  - slack: "{{room}} is {{value}}"
                  - slack: { text: hot, url: "https://hooks.slack.com/services/T/B/X" }
                  - discord: "{{room}} is {{value}}"
                  - discord: { content: hot, username: house, url: "https://discord.com/api/webhooks/1/x" }
            """;

        Assert.Empty(RuleLoader.LoadText(yaml, env: _ => null).Problems);
        Assert.Empty(Errors(yaml));
    }

    [Theory]
    [InlineData("- mastodon: { status: x, visibility: friends }", "visibility")]
    [InlineData("- ntfy: { message: x }", "topic")]
    [InlineData("- ntfy: { topic: \"a b\" }", "topic")]
    [InlineData("- ntfy: { topic: t, priority: 9 }", "priority")]
    [InlineData("- slack: { text: x, url: \"ftp://secret-hook\" }", "url")]
    [InlineData("- discord: { username: x }", "content")]
    public void ChannelMistakes_RejectedBySchemaAndLoader(string action, string named)
    {
        var yaml = OneRule(action);

        Assert.NotEmpty(Errors(yaml));
        var problems = RuleLoader.LoadText(yaml, env: _ => null).Problems;
        Assert.Contains(problems, p => p.ToString().Contains(named, StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.ToString().Contains("secret-hook", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryFormTheLoaderAccepts_ValidAgainstSchema()
    {
        const string yaml = """
            notifiers:
              ops: { webhook: { url: "https://example.com/hook", method: put, headers: { X-Key: "${KEY:-k}" }, body: { text: "{{message}}", n: 1 } } }
              mail: { email: { to: [a@example.com, b@example.com], subject: Alarm, body: "{{message}}" } }
              say: { tweet: { text: "{{message}}" } }
              note: { log: { message: "{{message}}", level: warning } }
              pub: { publish: { topic: alerts/x, payload: [1, 2], qos: 2, retain: yes } }
            rules:
              - id: all-keys
                description: every rule key
                topic: home/{room}/t
                value: temp
                timezone: Europe/London
                when: value > 30
                clear: value < 25
                for: 1h30m
                cooldown: 90
                repeat: 0.5
                each_message: false
                actions:
                  - notify: { to: ops, message: hot }
                  - notify: { to: mail }
                  - tweet: "{{room}} is {{value}}"
                  - email: { to: c@example.com }
                  - log: plain text
                  - publish: { topic: "x/{{room}}", payload: 21.5, qos: "1" }
                on_resolve:
                  - log: { message: ok }
              - id: stats
                topic: home/+/w
                anomaly: { method: ewma, half_life: 1h, threshold: 2.5, min_samples: 5, min_stddev: 0.1, direction: both }
                actions: [ { log: odd } ]
              - id: quiet
                topic: home/#
                absent: 500ms
                actions: [ { notify: { to: say } } ]
              - id: nightly
                schedule: "0 0 2 * * ?"
                actions: [ { notify: { to: note } }, { notify: { to: pub } } ]
            """;

        Assert.Empty(RuleLoader.LoadText(yaml, env: _ => null).Problems);
        Assert.Empty(Errors(yaml));
    }

    private static string OneRule(string action) => $"rules:\n  - id: a\n    topic: t\n    when: value > 1\n    actions:\n      {action}\n";

    private static List<string> Errors(string yaml)
    {
        var json = JsonSerializer.SerializeToElement(YamlJson.Convert(yaml));
        var result = Schema.Evaluate(json, Options);
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")).DefaultIfEmpty("invalid")];
    }

    private static IEnumerable<(string Doc, int Index, string Yaml)> DocBlocks()
    {
        var root = RepoRoot.Path;
        var docs = new[] { Path.Combine(root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal));
        foreach (var doc in docs)
        {
            var blocks = YamlBlock().Matches(File.ReadAllText(doc).ReplaceLineEndings("\n"))
                .Select(m => m.Groups["yaml"].Value)
                .Where(y => RulesAtTop().IsMatch(y) && !TestsAtTop().IsMatch(y));
            var index = 0;
            foreach (var yaml in blocks)
            {
                yield return (Path.GetRelativePath(root, doc).Replace('\\', '/'), index++, yaml);
            }
        }
    }

    private static string KindOf(JsonNode? reference)
    {
        var name = reference!["$ref"]!.GetValue<string>().Split('/')[^1];
        return Definitions[name]!["required"]![0]!.GetValue<string>();
    }

    private static JsonNode ActionBody(string kind) => Definitions[$"{kind}Action"]!["properties"]![kind]!;

    private static string[] Keys(JsonNode properties) => Sorted(properties.AsObject().Select(p => p.Key));

    private static string[] Sorted(IEnumerable<string> keys) => [.. keys.Order(StringComparer.Ordinal)];

    [GeneratedRegex("^```yaml\\n(?<yaml>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    [GeneratedRegex("^rules:", RegexOptions.Multiline)]
    private static partial Regex RulesAtTop();

    /// <summary>A rule test file (checked against its own schema by TestFileSchemaTests).</summary>
    [GeneratedRegex("^tests:", RegexOptions.Multiline)]
    internal static partial Regex TestsAtTop();
}
