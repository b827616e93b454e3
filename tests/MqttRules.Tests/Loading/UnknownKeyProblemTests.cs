using MqttRules.Tests.Support;

namespace MqttRules.Tests.Loading;

/// <summary>Unknown keys are errors everywhere: rules, the file, anomaly, action and notifier mappings (SPEC §5).</summary>
public class UnknownKeyProblemTests
{
    [Fact]
    public void Load_UnknownRuleKey_ProblemAtTheKeyWithSuggestion()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                cooldwn: 5m
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "5:5", "unknown key 'cooldwn' in rule; did you mean 'cooldown'?");
    }

    [Fact]
    public void Load_UnknownTopLevelKey_ProblemAtTheKey()
    {
        const string yaml = """
            rulez: []
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "1:1", "unknown key 'rulez' in rule file");
    }

    [Fact]
    public void Load_UnknownAnomalyKey_ProblemInsideTheFlowMapping()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                anomaly: { method: zscore, treshold: 3 }
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "4:32", "unknown key 'treshold' in 'anomaly'; did you mean 'threshold'?");
    }

    [Fact]
    public void Load_UnknownPublishKey_ProblemAtTheKey()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - publish: { topic: x/y, payload: ON, retian: true }
            """;
        Yaml.SingleProblem(yaml, "6:45", "unknown key 'retian' in 'publish' action; did you mean 'retain'?");
    }

    [Fact]
    public void Load_UnknownLogKeyInBlockMapping_ProblemAtTheKey()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - log:
                      message: hi
                      lvl: info
            """;
        Yaml.SingleProblem(yaml, "8:11", "unknown key 'lvl' in 'log' action");
    }

    [Fact]
    public void Load_UnknownNotifierKey_ProblemAtTheKey()
    {
        const string yaml = """
            notifiers:
              ops:
                webhook: { url: "http://a/b", urll: x }
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { notify: { to: ops, message: hi } } ]
            """;
        Yaml.SingleProblem(yaml, "3:35", "unknown key 'urll' in 'webhook' action; did you mean 'url'?");
    }

    [Fact]
    public void Load_UnknownActionKind_ProblemAtTheKind()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - sms: hi
            """;
        Yaml.SingleProblem(yaml, "6:9", "unknown action 'sms'");
    }
}
