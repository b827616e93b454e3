using MqttRules.Loading;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Loading;

/// <summary>Values that parse as YAML but make no sense for their key, each reported where it is written.</summary>
public class RuleValueProblemTests
{
    private const string Prefix = """
        rules:
          - id: a
            topic: a/b
            when: value > 1

        """;

    [Theory]
    [InlineData("    actions: [ { publish: { topic: x, qos: 3 } } ]", "5:44", "'qos' must be a number from 0 to 2")]
    [InlineData("    actions: [ { publish: { topic: x, qos: 1.5 } } ]", "5:44", "'qos' must be 0, 1 or 2")]
    [InlineData("    actions: [ { publish: { topic: x, retain: maybe } } ]", "5:47", "'retain' must be true or false")]
    [InlineData("    actions: [ { log: { message: x, level: loud } } ]", "5:44", "log level must be one of debug, info, warning, error")]
    [InlineData("    actions: [ { webhook: { url: \"ftp://x/y\" } } ]", "5:34", "is not an http:// or https:// URL")]
    [InlineData("    actions: [ { webhook: { url: \"http://x/y\", method: FETCH } } ]", "5:56", "method must be one of GET, POST, PUT, PATCH, DELETE")]
    [InlineData("    actions: [ { webhook: { method: POST } } ]", "5:27", "missing 'url' in 'webhook' action")]
    [InlineData("    actions: [ { publish: { payload: x } } ]", "5:27", "missing 'topic' in 'publish' action")]
    [InlineData("    actions: [ { email: { subject: x } } ]", "5:25", "missing 'to' in 'email' action")]
    [InlineData("    actions: [ { publish: ON } ]", "5:27", "'publish' takes a mapping")]
    [InlineData("    actions: { log: x }", "5:14", "'actions' must be a list of actions")]
    [InlineData("    actions: [ log ]", "5:16", "an action is a mapping with one of")]
    public void Load_BadActionValue_ProblemAtTheValue(string line, string position, string fragment)
    {
        Yaml.SingleProblem(Prefix + line + "\n", position, fragment);
    }

    [Theory]
    [InlineData("{ method: magic }", "unknown anomaly method 'magic'")]
    [InlineData("{ direction: sideways }", "direction must be above, below or both")]
    [InlineData("{ method: ewma }", "method ewma needs 'half_life'")]
    [InlineData("{ method: zscore, half_life: 1h }", "'half_life' applies only to method ewma")]
    [InlineData("{ threshold: -1 }", "'threshold' must be a number of at least 0")]
    [InlineData("{ min_samples: 0 }", "'min_samples' must be a number from 1")]
    [InlineData("{ window: 0s }", "'window' must be a positive duration")]
    [InlineData("zscore", "'anomaly' takes a mapping")]
    public void Load_BadAnomaly_Problem(string anomaly, string fragment)
    {
        var yaml = $"""
            rules:
              - id: a
                topic: a/b
                anomaly: {anomaly}
                actions: [ {"{"} log: x {"}"} ]
            """;
        var problem = Assert.Single(Yaml.Problems(yaml));
        Assert.Contains(fragment, problem);
        Assert.StartsWith("rules.yaml:4:", problem);
    }

    [Theory]
    [InlineData("when: value > 1", "'when' is not allowed in an 'absent:' rule")]
    [InlineData("for: 1m", "'for' is not allowed in an 'absent:' rule")]
    [InlineData("repeat: 1m", "'repeat' is not allowed in an 'absent:' rule")]
    [InlineData("value: flow.lpm", "'value' is not allowed in an 'absent:' rule")]
    public void Load_AbsentWithValueKey_ProblemAtTheKey(string line, string fragment)
    {
        var yaml = $"""
            rules:
              - id: a
                topic: a/b
                absent: 15m
                {line}
                actions: [ {"{"} log: x {"}"} ]
            """;
        Yaml.SingleProblem(yaml, "5:5", fragment);
    }

    [Theory]
    [InlineData("for: 1m")]
    [InlineData("clear: true")]
    [InlineData("cooldown: 1m")]
    [InlineData("repeat: 1m")]
    [InlineData("absent: 1m")]
    [InlineData("on_resolve: [ { log: x } ]")]
    public void Load_ScheduleWithMessageKey_ProblemAtTheKey(string line)
    {
        var yaml = $"""
            rules:
              - id: a
                schedule: "0 7 * * *"
                {line}
                actions: [ {"{"} log: x {"}"} ]
            """;
        Yaml.SingleProblem(yaml, "4:5", "is not allowed in a scheduled rule");
    }

    [Fact]
    public void Load_AbsentZero_Problem()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                absent: 0s
                actions: [ { log: x } ]
            """;
        Yaml.SingleProblem(yaml, "4:13", "'absent' must be a positive duration");
    }

    [Theory]
    [InlineData("", "missing 'id' in rule")]
    [InlineData("  - id: \"two words\"\n    topic: a\n    when: true\n    actions: [ { log: x } ]\n", "must be a non-empty name without spaces")]
    [InlineData("  - just text\n", "a rule is a mapping")]
    public void Load_BadRuleItem_Problem(string item, string fragment)
    {
        var yaml = "rules:\n" + (item.Length == 0 ? "  - topic: a\n    when: true\n    actions: [ { log: x } ]\n" : item);
        Assert.Contains(Yaml.Problems(yaml), p => p.Contains(fragment, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_DuplicateNotifierAcrossFiles_ProblemAtTheSecond()
    {
        using var dir = new TempDir();
        var first = dir.Write("a.yaml", "notifiers:\n  ops:\n    log: \"{{message}}\"\nrules: []\n");
        var second = dir.Write("b.yaml", "notifiers:\n  ops:\n    log: \"{{message}}\"\nrules: []\n");
        var problem = Assert.Single(RuleLoader.Load(dir.Path, _ => null).Problems);
        Assert.Equal($"{second}:2:3: duplicate notifier 'ops' (first defined at {first}:2:3)", problem.ToString());
    }

    [Fact]
    public void Load_NotifierNotifyingANotifier_Problem()
    {
        const string yaml = """
            notifiers:
              ops:
                notify: { to: ops, message: x }
            rules: []
            """;
        Yaml.SingleProblem(yaml, "3:5", "a notifier cannot notify another notifier");
    }

    [Fact]
    public void Load_TwoDocuments_ProblemAtTheSecond()
    {
        var problems = Yaml.Problems("rules: []\n---\nrules: []\n");
        Assert.Contains("rules.yaml:2:1: only one YAML document is read per file", Assert.Single(problems));
    }

    [Fact]
    public void Load_AnchorsAndAliases_Resolved()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: &hot value > 30
                actions: &act [ { log: "hot {{value}}" } ]
              - id: b
                topic: a/c
                when: *hot
                actions: *act
            """;
        Assert.Equal(2, Yaml.Rules(yaml).Rules.Count);
    }
}
