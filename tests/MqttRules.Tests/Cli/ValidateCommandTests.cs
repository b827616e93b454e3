using MqttRules.Tests.Support;

namespace MqttRules.Tests.Cli;

/// <summary><c>mqttrules validate</c>: one problem per line as FILE:LINE:COL: message, then the summary; exit 0 or 1 (SPEC §2).</summary>
public class ValidateCommandTests
{
    [Fact]
    public void Validate_ValidFolder_SummaryOnlyExit0()
    {
        using var dir = new TempDir();
        dir.Write("a.yaml", """
            rules:
              - id: a
                topic: a
                when: value > 1
                actions: [ { log: hi } ]
              - id: b
                schedule: "0 7 * * *"
                actions: [ { log: hi } ]
            """);
        var result = CliRunner.Run(["validate", "--rules", dir.Path]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["2 rules in 1 files: OK"], result.Lines);
    }

    [Fact]
    public void Validate_Problems_OneLineEachThenSummaryExit1()
    {
        using var dir = new TempDir();
        var file = dir.Write("bad.yaml", """
            rules:
              - id: a
                topic: a/#/b
                when: value > 1
                for: soon
                actions: [ { log: hi } ]
            """);
        var result = CliRunner.Run(["validate", "--rules", dir.Path]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [$"{file}:3:12: rule 'a': invalid topic filter 'a/#/b': '#' must be the last level of a topic filter",
             $"{file}:5:10: rule 'a': 'for: soon' is not a duration; write one such as 500ms, 30s, 5m, 1h30m, 2d or 1w (a bare number is seconds)",
             "2 problems in 1 files"],
            result.Lines);
    }

    [Fact]
    public void Validate_ExpressionProblem_NamesTheRuleAfterThePosition()
    {
        using var dir = new TempDir();
        var file = dir.Write("bad.yaml", """
            rules:
              - id: water-high
                topic: home/water
                when: value >
                actions: [ { log: "{{nosuch(value)}}" } ]
            """);
        var result = CliRunner.Run(["validate", "--rules", dir.Path]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(3, result.Lines.Count);
        Assert.StartsWith($"{file}:4:", result.Lines[0], StringComparison.Ordinal);
        Assert.Contains(": rule 'water-high': when: ", result.Lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{file}:5:", result.Lines[1], StringComparison.Ordinal);
        Assert.Contains(": rule 'water-high': log: ", result.Lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RulesFromEnvironment_UsedWhenNoFlag()
    {
        using var dir = new TempDir();
        dir.Write("a.yml", "rules: []\n");
        var result = CliRunner.Run(["validate"], name => name == "MQTTRULES_RULES" ? dir.Path : null);
        Assert.Equal(["0 rules in 1 files: OK"], result.Lines);
    }

    [Fact]
    public void Validate_FlagBeatsEnvironment()
    {
        using var dir = new TempDir();
        dir.Write("a.yml", "rules: []\n");
        var result = CliRunner.Run(["validate", "--rules=" + dir.Path], _ => "/no/such/place");
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void Validate_MissingRulesFolder_Exit1()
    {
        var result = CliRunner.Run(["validate", "--rules", "/no/such/rules-dir"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("1 problems in 1 files", result.Lines[^1]);
    }
}
