namespace MqttRules.Tests.Lifecycle;

/// <summary>The rule keys of the alert lifecycle: <c>enabled</c> and <c>flap</c>.</summary>
public class LifecycleLoadingTests
{
    private static string Rule(string extra) => $$"""
        rules:
          - id: r
            topic: a/b
            when: value > 1
        {{extra}}
            actions: [ { log: hi } ]
        """;

    [Fact]
    public void Flap_Valid_Read()
    {
        var rule = Yaml.Rules(Rule("    flap: { changes: 5, within: 10m }")).Rules[0];

        Assert.Equal(new Rules.FlapSpec(5, TimeSpan.FromMinutes(10)), rule.Flap);
        Assert.True(rule.Enabled);
    }

    [Fact]
    public void Enabled_False_Read() => Assert.False(Yaml.Rules(Rule("    enabled: false")).Rules[0].Enabled);

    [Theory]
    [InlineData("    flap: { changes: 5 }", "5:11", "'flap' needs 'within'")]
    [InlineData("    flap: { within: 10m }", "5:11", "'flap' needs 'changes'")]
    [InlineData("    flap: { changes: 1, within: 10m }", "5:22", "'changes' must be a number from 2 to 1000")]
    [InlineData("    flap: { changes: 2.5, within: 10m }", "5:22", "'changes' must be a whole number")]
    [InlineData("    flap: { changes: 3, within: 0s }", "5:33", "'within' must be a positive duration")]
    [InlineData("    flap: { changes: 3, within: 10m, sticky: true }", "5:38", "sticky")]
    [InlineData("    flap: 5", "5:11", "'flap' takes a mapping")]
    [InlineData("    enabled: maybe", "5:14", "'enabled' must be true or false")]
    public void Invalid_OneProblemAtItsPlace(string extra, string position, string fragment) =>
        Yaml.SingleProblem(Rule(extra), position, fragment);

    [Fact]
    public void Flap_OnEachMessageRule_IsAnError() =>
        Yaml.SingleProblem(Rule("    each_message: true\n    flap: { changes: 3, within: 1m }"), "6:5", "'flap' is not allowed in an 'each_message: true' rule");
}
