using MqttRules.Tests.Support;

namespace MqttRules.Tests.Payloads;

/// <summary><c>validate</c> rejects a <c>value:</c> path or field path it cannot read, at its position.</summary>
public class ValuePathValidationTests
{
    [Theory]
    [InlineData("Power[0", "4:17", "array index")]
    [InlineData("a..b", "4:14", "empty name")]
    [InlineData("a.\"b.c", "4:15", "not closed")]
    public void Load_ValuePathItCannotRead_ProblemAtTheSpot(string path, string position, string fragment)
    {
        Yaml.SingleProblem($$"""
            rules:
              - id: p
                topic: t
                value: {{path}}
                each_message: true
                actions: [ { log: x } ]
            """.Replace("value: a.\"b.c", "value: 'a.\"b.c'", StringComparison.Ordinal), position, fragment);
    }

    [Theory]
    [InlineData("Power[0]")]
    [InlineData("StatusSNS.ENERGY.Power[1]")]
    [InlineData("'attributes.\"temp.c\"'")]
    public void Load_ValuePathWithIndexOrQuotedName_Valid(string path)
    {
        Assert.Empty(Yaml.Problems($$"""
            rules:
              - id: p
                topic: t
                value: {{path}}
                each_message: true
                actions: [ { log: x } ]
            """));
    }

    [Theory]
    [InlineData("[Power[x]] > 1")]
    [InlineData("last('a/b', 'x[') > 1")]
    public void Load_FieldOrHistoryPathItCannotReadInWhen_ProblemOnItsLine(string when)
    {
        var problem = Assert.Single(Yaml.Problems($$"""
            rules:
              - id: p
                topic: t
                when: "{{when}}"
                actions: [ { log: x } ]
            """));
        Assert.StartsWith("rules.yaml:4:", problem);
        Assert.Contains("array index", problem);
    }
}
