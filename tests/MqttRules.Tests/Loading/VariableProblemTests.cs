using MqttRules.Tests.Support;

namespace MqttRules.Tests.Loading;

/// <summary>${NAME} substitution: defaults, empty values, and an unset variable reported once at its position (SPEC §5).</summary>
public class VariableProblemTests
{
    [Fact]
    public void Load_UnsetVariableWithoutDefault_ProblemAtTheDollar()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { log: "hook ${UNSET_HOOK}" } ]
            """;
        Yaml.SingleProblem(yaml, "5:29", "environment variable UNSET_HOOK is not set; set it, or write ${UNSET_HOOK:-default}");
    }

    [Fact]
    public void Load_UnsetVariableInPlainScalar_ProblemAtTheDollar()
    {
        const string yaml = """
            rules:
              - id: a
                topic: home/${UNSET_ROOM}/t
                when: value > 1
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "3:17", "environment variable UNSET_ROOM is not set");
    }

    [Fact]
    public void Load_UnsetVariableWithDefault_UsesTheDefault()
    {
        const string yaml = """
            rules:
              - id: a
                topic: home/${ROOM:-kitchen}/t
                when: value > 1
                actions: [ { log: hi } ]
            """;
        Assert.Equal("home/kitchen/t", Yaml.Rules(yaml).Rules[0].Topic!.Source);
    }

    [Fact]
    public void Load_EmptyVariableWithDefault_UsesTheDefault()
    {
        const string yaml = """
            rules:
              - id: a
                topic: home/${ROOM:-kitchen}/t
                when: value > 1
                actions: [ { log: hi } ]
            """;
        var rules = Yaml.Rules(yaml, new Dictionary<string, string> { ["ROOM"] = "" });
        Assert.Equal("home/kitchen/t", rules.Rules[0].Topic!.Source);
    }

    [Fact]
    public void Load_SetVariable_SubstitutedAfterYamlParsing()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { log: "${GREETING}" } ]
            """;
        var rules = Yaml.Rules(yaml, new Dictionary<string, string> { ["GREETING"] = "x: [y], {z} #not a comment" });
        var log = Assert.IsType<MqttRules.Rules.LogSpec>(rules.Rules[0].Actions[0]);
        Assert.Equal("x: [y], {z} #not a comment", log.Message.Source);
    }

    [Fact]
    public void Load_UnsetVariableInExpression_OnlyTheVariableIsReported()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: "value > ${UNSET_LIMIT}"
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "4:20", "environment variable UNSET_LIMIT is not set");
    }

    [Fact]
    public void Load_UnsetVariableInWebhookUrl_OnlyTheVariableIsReported()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - webhook: { url: "${UNSET_HOOK}" }
            """;
        Yaml.SingleProblem(yaml, "6:26", "environment variable UNSET_HOOK is not set");
    }

    [Fact]
    public void Load_UnsetVariableInDuration_OnlyTheVariableIsReported()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                for: ${UNSET_FOR}
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "5:10", "environment variable UNSET_FOR is not set");
    }
}
