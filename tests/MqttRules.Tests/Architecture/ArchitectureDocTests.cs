using System.Text.RegularExpressions;

namespace MqttRules.Tests.Architecture;

/// <summary>docs/architecture.md names the file of every step; when a file moves, the page must move with it.</summary>
public sealed partial class ArchitectureDocTests
{
    [Fact]
    public void EveryFileTheArchitecturePageNames_Exists()
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot.Path, "docs", "architecture.md"));
        var named = SourcePath().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();

        Assert.True(named.Count > 30, $"expected the page to name the files of its steps, found {named.Count}");
        var missing = named.Where(p => !File.Exists(Path.Combine(RepoRoot.Path, "src", "MqttRules", p))
            && !File.Exists(Path.Combine(RepoRoot.Path, "src", "MqttRules.Cli", p))
            && !File.Exists(Path.Combine(RepoRoot.Path, p))).ToList();
        Assert.True(missing.Count == 0, "named in docs/architecture.md but not found: " + string.Join(", ", missing));
    }

    /// <summary>Folder/File.cs, or a path from the repository root such as tests/…/X.cs (not Actions/&lt;Kind&gt;/… patterns).</summary>
    [GeneratedRegex(@"(?<![\w<>/.-])(?:[A-Za-z][\w.]*/)+[A-Za-z][\w.]*\.cs\b")]
    private static partial Regex SourcePath();
}
