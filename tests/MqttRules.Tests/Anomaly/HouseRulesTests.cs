using MqttRules.Loading;

namespace MqttRules.Tests.Anomaly;

/// <summary>rules/house.yaml is valid, and the house samples replay exactly the rules users start from.</summary>
public class HouseRulesTests
{
    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MqttRules.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("MqttRules.sln not found above the test binaries");
    }

    [Fact]
    public void Load_HouseRules_NoProblems()
    {
        var loaded = RuleLoader.Load(Path.Combine(Root(), "rules", "house.yaml"));

        Assert.Empty(loaded.Problems);
        Assert.Equal(["water-high", "meter-offline", "water-daily-report", "porch-light", "porch-light-off"], loaded.Rules.Rules.Select(r => r.Id));
    }

    [Theory]
    [InlineData("house-leak")]
    [InlineData("house-offline")]
    public void Samples_HouseRules_SameAsRulesFolder(string sample)
    {
        var root = Root();

        // Only the first line differs: the editor's schema comment, a path relative to each file.
        Assert.Equal(File.ReadLines(Path.Combine(root, "rules", "house.yaml")).Skip(1), File.ReadLines(Path.Combine(root, "samples", sample, "rules.yaml")).Skip(1));
    }
}
