using MqttRules.Tests.Support;

namespace MqttRules.Tests.Loading;

/// <summary>Expression and template errors, positioned at the offending character inside the file.</summary>
public class ExpressionProblemTests
{
    [Fact]
    public void Load_ExpressionSyntaxError_PositionedAtTheOffendingToken()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value >
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "4:17", "when: invalid expression 'value >'");
    }

    [Fact]
    public void Load_ExpressionSyntaxErrorInQuotedScalar_CountsTheQuote()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: "value > 1 )"
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "4:22", "when: invalid expression 'value > 1 )'");
    }

    [Fact]
    public void Load_ExpressionSyntaxErrorInTemplateHole_PositionedInsideTheHole()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { log: "{{ value + }}" } ]
            """;
        Yaml.SingleProblem(yaml, "5:33", "log: invalid expression ' value + '");
    }

    [Fact]
    public void Load_ExpressionErrorInFoldedBlock_PositionedOnTheSourceLineOfTheError()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: >-
                  value > 1 and
                  value < 2 and
                  value )
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "7:13", "when: invalid expression");
    }

    [Fact]
    public void Load_ExpressionErrorInLiteralBlock_PositionedOnTheSourceLineOfTheError()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: |
                  value > 1

                  and value )
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "7:17", "when: invalid expression");
    }

    [Fact]
    public void Load_TemplateErrorInFoldedBlock_PositionedInsideTheHole()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - log: >
                      first line
                      value is {{ value + }}
            """;
        Yaml.SingleProblem(yaml, "8:29", "log: invalid expression");
    }

    [Fact]
    public void Load_UnclosedTemplateHole_ProblemAtTheBraces()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { log: "at {{ value" } ]
            """;
        Yaml.SingleProblem(yaml, "5:27", "'{{' is not closed by '}}'");
    }

    [Fact]
    public void Load_UnknownFunction_ProblemAtTheCall()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: rnd(value) > 1
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "4:11", "unknown function 'rnd'");
    }

    [Fact]
    public void Load_ValueInScheduledRuleTemplate_RefersToNothing()
    {
        const string yaml = """
            rules:
              - id: a
                schedule: "0 30 18 * * ?"
                actions: [ { log: "now {{ value }}" } ]
            """;
        Yaml.SingleProblem(yaml, "4:31", "log: 'value' refers to nothing: a scheduled rule has no message");
    }

    [Fact]
    public void Load_FieldInScheduledRuleCondition_RefersToNothing()
    {
        const string yaml = """
            rules:
              - id: a
                schedule: "30 18 * * *"
                when: lux < 50
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "4:11", "'lux' refers to nothing");
    }

    [Fact]
    public void Load_ZInRuleWithoutAnomaly_RefersToNothing()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { log: "z={{z}}" } ]
            """;
        Yaml.SingleProblem(yaml, "5:28", "'z' refers to nothing: it is set only in rules with 'anomaly:'");
    }

    [Fact]
    public void Load_ExpressionErrorInMultiLinePlainScalar_PositionedOnTheSourceLineOfTheError()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1 and
                  value < 5 and
                  value )
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "6:13", "when: invalid expression");
    }

    [Fact]
    public void Load_ExpressionErrorInMultiLineQuotedScalar_PositionedOnTheSourceLineOfTheError()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: "value > 1
                  and value )"
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "5:17", "when: invalid expression");
    }
}
