using System.Globalization;
using System.Text;
using MqttRules.Loading;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Loading.Hostile;

/// <summary>Issue 10, point 3: rule files that crashed the process (exit 134) are problems at their position.</summary>
public class HostileRuleFileTests
{
    private const string Rule = """
        rules:
          - id: a
            topic: a/b
            when: value > 1
            actions:
              - log: hi
        """;

    [Fact]
    public void Load_UnclosedFlowMappingThenListItem_SyntaxErrorNotACrash()
    {
        var problem = Assert.Single(Yaml.Problems("a: { b: 1\n- c\n"));

        Assert.StartsWith("rules.yaml:1:", problem);
        Assert.Contains("YAML syntax error", problem);
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{a: ", "}")]
    public void Load_FlowNestedTensOfThousandsDeep_SyntaxErrorAtTheLimit(string open, string close)
    {
        var yaml = "rules: " + string.Concat(Enumerable.Repeat(open, 50_000)) + string.Concat(Enumerable.Repeat(close, 50_000)) + "\n";

        var problem = Assert.Single(Yaml.Problems(yaml));

        Assert.StartsWith("rules.yaml:1:", problem);
        Assert.Contains($"nested more than {YamlTree.MaxDepth} levels deep", problem);
    }

    [Fact]
    public void Load_BlockNestedTooDeep_SyntaxErrorAtTheLine()
    {
        var sb = new StringBuilder("rules:\n");
        for (var level = 1; level <= 150; level++)
        {
            sb.Append(' ', level).Append("- \n");
        }

        var problem = Assert.Single(Yaml.Problems(sb.ToString()));

        Assert.Contains("nested more than", problem);
        Assert.Matches(@"^rules\.yaml:\d+:\d+: ", problem);
    }

    [Fact]
    public void Load_BillionLaughs_RefusedAtTheAliasThatGoesOverTheLimit()
    {
        var sb = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i <= 9; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"a{i}: &a{i} [").AppendJoin(", ", Enumerable.Repeat($"*a{i - 1}", 10)).Append("]\n");
        }

        sb.Append("rules: []\n");

        var problem = Assert.Single(Yaml.Problems(sb.ToString()));

        Assert.Contains("expands to more than 1000000 YAML nodes", problem);
        Assert.Matches(@"^rules\.yaml:[67]:\d+: ", problem);
    }

    [Fact]
    public void Load_AliasWithinTheLimit_StillReadAsACopy()
    {
        const string yaml = """
            notifiers:
              ops: &ops { log: "ops {{topic}}" }
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [*ops]
            """;

        Assert.True(Yaml.Load(yaml).Ok, string.Join("\n", Yaml.Problems(yaml)));
    }

    [Theory]
    [InlineData("value", "+value", "")]
    [InlineData("", "-", "value")]
    [InlineData("", "not ", "true")]
    public void Load_ExpressionChainedTensOfThousandsDeep_ProblemNotAStackOverflow(string first, string repeated, string last)
    {
        var expression = first + string.Concat(Enumerable.Repeat(repeated, 100_000)) + last;

        Yaml.SingleProblem(Rule.Replace("value > 1", expression, StringComparison.Ordinal), "4:11", "nests more than 200 operations deep");
    }

    [Fact]
    public void Load_DurationBeyondTheClock_ProblemAtTheValue()
    {
        Yaml.SingleProblem(Rule.Replace("    when: value > 1", "    when: value > 1\n    for: 500000w", StringComparison.Ordinal), "5:10", "longest duration a rule may use is 520w");
    }

    [Fact]
    public void Load_InvalidUtf8_ProblemAtTheFirstBadByte()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "bad.yaml");
        var bytes = Encoding.UTF8.GetBytes(Rule.Replace("value > 1", "välue > 1", StringComparison.Ordinal)).ToList();
        bytes.Insert(bytes.IndexOf((byte)'>'), 0xFF);
        File.WriteAllBytes(path, bytes.ToArray());

        var problem = Assert.Single(RuleLoader.Load(path).Problems);

        Assert.Equal($"{path}:4:17: the file is not valid UTF-8 text here; save it as UTF-8", problem.ToString());
    }

    [Fact]
    public void Load_Utf8Bom_Accepted()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "bom.yaml");
        File.WriteAllBytes(path, [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(Rule)]);

        Assert.True(RuleLoader.Load(path).Ok);
    }

    [Fact]
    public void Load_FileOverTheSizeLimit_RefusedWithoutReading()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "huge.yaml");
        using (var f = File.Create(path))
        {
            f.SetLength(RuleLoader.MaxFileBytes + 1L);
        }

        var problem = Assert.Single(RuleLoader.Load(path).Problems);

        Assert.Contains("larger than 16 MiB", problem.Message);
    }
}
