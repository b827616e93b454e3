using MqttRules.Loading;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Loading;

/// <summary>The one summary line of validate: exactly <c>N rules in M files: OK</c> or <c>N problems in M files</c>.</summary>
public class LoadSummaryTests
{
    private const string Good = """
        rules:
          - id: ID
            topic: a/ID
            when: value > 1
            actions: [ { log: hi } ]
        """;

    [Fact]
    public void Summary_ValidFolder_CountsRulesAndFiles()
    {
        using var dir = new TempDir();
        dir.Write("a.yaml", Good.Replace("ID", "one", StringComparison.Ordinal));
        dir.Write("nested/deeper/b.yml", Good.Replace("ID", "two", StringComparison.Ordinal));
        dir.Write("c.yaml", Good.Replace("ID", "three", StringComparison.Ordinal));
        dir.Write("notes.txt", "not a rule file");

        var result = RuleLoader.Load(dir.Path, _ => null);

        Assert.True(result.Ok);
        Assert.Equal("3 rules in 3 files: OK", result.Summary);
    }

    [Fact]
    public void Summary_OneRuleOneFile_StaysPlural()
    {
        Assert.Equal("1 rules in 1 files: OK", Yaml.Load(Good.Replace("ID", "x", StringComparison.Ordinal)).Summary);
    }

    [Fact]
    public void Summary_ProblemsInTwoOfThreeFiles_CountsFilesWithProblems()
    {
        using var dir = new TempDir();
        dir.Write("a.yaml", Good.Replace("ID", "one", StringComparison.Ordinal));
        dir.Write("b.yaml", Good.Replace("ID", "two", StringComparison.Ordinal).Replace("value > 1", "value >", StringComparison.Ordinal));
        dir.Write("c.yaml", Good.Replace("ID", "three", StringComparison.Ordinal).Replace("log: hi", "sms: hi", StringComparison.Ordinal).Replace("a/three", "a/#/x", StringComparison.Ordinal));

        var result = RuleLoader.Load(dir.Path, _ => null);

        Assert.Equal(3, result.Problems.Count);
        Assert.Equal("3 problems in 2 files", result.Summary);
    }

    [Fact]
    public void Load_MissingPath_OneProblemNamingThePath()
    {
        var result = RuleLoader.Load("/no/such/rules-folder", _ => null);
        var problem = Assert.Single(result.Problems);
        Assert.StartsWith("/no/such/rules-folder:", problem.ToString());
        Assert.Contains("no such file or folder", problem.Message);
        Assert.Equal("1 problems in 1 files", result.Summary);
    }

    [Fact]
    public void Load_EmptyFolder_ProblemNoRuleFiles()
    {
        using var dir = new TempDir();
        var result = RuleLoader.Load(dir.Path, _ => null);
        Assert.Contains("no rule files", Assert.Single(result.Problems).Message);
    }

    [Fact]
    public void Load_FolderWithEmptyRulesList_IsValid()
    {
        using var dir = new TempDir();
        dir.Write("a.yaml", "rules: []\n");
        Assert.Equal("0 rules in 1 files: OK", RuleLoader.Load(dir.Path, _ => null).Summary);
    }
}
