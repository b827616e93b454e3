using MqttRules.Tests.Support;

namespace MqttRules.Tests.Loading;

/// <summary>Action items: exactly one kind, notify targets, publish topics.</summary>
public class ActionProblemTests
{
    [Fact]
    public void Load_ActionWithTwoKinds_ProblemAtTheSecondKind()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - tweet: hi
                    webhook: { url: "http://x/y" }
            """;
        Yaml.SingleProblem(yaml, "7:9", "one action per list item: 'tweet' and 'webhook'");
    }

    [Fact]
    public void Load_ActionWithNoKind_ProblemAtTheItem()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - {}
            """;
        Yaml.SingleProblem(yaml, "6:9", "empty action");
    }

    [Fact]
    public void Load_NotifyToUnknownNotifier_ProblemAtTheName()
    {
        const string yaml = """
            notifiers:
              ops:
                log: "{{message}}"
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - notify: { to: nobody, message: hi }
            """;
        Yaml.SingleProblem(yaml, "9:23", "unknown notifier 'nobody' (defined: ops)");
    }

    [Fact]
    public void Load_NotifierDefinedInAnotherFile_IsFound()
    {
        using var dir = new TempDir();
        dir.Write("a-notifiers.yaml", """
            notifiers:
              ops:
                log: { message: "{{message}}", level: warning }
            rules: []
            """);
        dir.Write("b-rules.yaml", """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { notify: { to: ops, message: hi } } ]
            """);
        var result = MqttRules.Loading.RuleLoader.Load(dir.Path, _ => null);
        Assert.Empty(result.Problems);
        Assert.Equal("1 rules in 2 files: OK", result.Summary);
    }

    [Fact]
    public void Load_PublishToConstantWildcardTopic_ProblemAtTheTopic()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { publish: { topic: "a/+/b", payload: x } } ]
            """;
        Yaml.SingleProblem(yaml, "5:36", "publish topic: 'a/+/b' is not a valid topic name");
    }
}
