using MqttRules.Loading;

namespace MqttRules.Tests.Anomaly;

/// <summary>rules/house.yaml is valid, and the house samples replay exactly the rules users start from.</summary>
public class HouseRulesTests
{
    [Fact]
    public void Load_HouseRules_NoProblems()
    {
        var loaded = RuleLoader.Load(Path.Combine(RepoRoot.Path, "rules", "house.yaml"));

        Assert.Empty(loaded.Problems);
        Assert.Equal(["water-high", "meter-offline", "water-daily-report", "porch-light", "porch-light-off"], loaded.Rules.Rules.Select(r => r.Id));
    }

    [Theory]
    [InlineData("house-leak")]
    [InlineData("house-offline")]
    public void Samples_HouseRules_SameAsRulesFolder(string sample)
    {
        var root = RepoRoot.Path;

        // Only the first line differs: the editor's schema comment, a path relative to each file.
        Assert.Equal(File.ReadLines(Path.Combine(root, "rules", "house.yaml")).Skip(1), File.ReadLines(Path.Combine(root, "samples", sample, "rules.yaml")).Skip(1));
    }
}
