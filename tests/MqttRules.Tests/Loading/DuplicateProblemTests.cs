using MqttRules.Tests.Support;

namespace MqttRules.Tests.Loading;

/// <summary>Duplicate keys, ids (across files too), body keys and headers, reported at the second occurrence.</summary>
public class DuplicateProblemTests
{
    [Fact]
    public void Load_DuplicateKey_ProblemAtTheSecondKey()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                when: value > 2
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "5:5", "duplicate key 'when' in rule");
    }

    [Fact]
    public void Load_DuplicateKeyInAction_ProblemAtTheSecondKey()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - publish: { topic: x/y, topic: x/z }
            """;
        Yaml.SingleProblem(yaml, "6:32", "duplicate key 'topic' in 'publish' action");
    }

    [Fact]
    public void Load_DuplicateIdInOneFile_ProblemAtTheSecondIdNamingTheFirst()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { log: hi } ]
              - id: a
                topic: a/c
                when: value > 1
                actions: [ { log: hi } ]
            """;
        var problem = Assert.Single(Yaml.Problems(yaml));
        Assert.StartsWith("rules.yaml:6:9: duplicate rule id 'a' (first defined at ", problem);
        Assert.EndsWith(":2:5); rule ids are unique across all files", problem);
    }

    [Fact]
    public void Load_DuplicateIdAcrossFiles_ProblemInTheSecondFile()
    {
        using var dir = new TempDir();
        const string rule = """
            rules:
              - id: same
                topic: a/b
                when: value > 1
                actions: [ { log: hi } ]
            """;
        var first = dir.Write("a.yaml", rule);
        var second = dir.Write("sub/b.yml", rule);
        var result = MqttRules.Loading.RuleLoader.Load(dir.Path, _ => null);
        var problem = Assert.Single(result.Problems);
        Assert.Equal($"{second}:2:9: duplicate rule id 'same' (first defined at {first}:2:5); rule ids are unique across all files", problem.ToString());
        Assert.Equal("1 problems in 1 files", result.Summary);
    }

    [Fact]
    public void Load_DuplicateKeyInJsonBody_ProblemAtTheSecondKey()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - webhook: { url: "http://x/y", body: { text: a, text: b } }
            """;
        Yaml.SingleProblem(yaml, "6:56", "duplicate key 'text' in 'body'");
    }

    [Fact]
    public void Load_DuplicateHeaderAnyCase_ProblemAtTheSecondHeader()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - webhook:
                      url: "http://x/y"
                      headers:
                        X-Token: one
                        x-token: two
            """;
        Yaml.SingleProblem(yaml, "10:13", "duplicate header 'x-token'");
    }
}
