using MqttRules.Tests.Support;
using Xunit.Abstractions;

namespace MqttRules.Tests.Architecture;

/// <summary>
/// The folders of src/MqttRules (one feature, one namespace each) import each other without
/// cycles, and the rule model imports only the base folders below it. Run with
/// <c>--logger "console;verbosity=detailed"</c> to see the graph.
/// </summary>
public sealed class ImportGraphTests(ITestOutputHelper output)
{
    /// <summary>
    /// What the model may import: plain values (<c>Value</c>, durations, topic captures) and the
    /// compiled expression language its conditions and templates are written in. Neither imports
    /// the model back.
    /// </summary>
    private static readonly string[] ModelBase = ["Expressions", "Values"];

    /// <summary>Cycles left on purpose, each with its reason. Empty: any cycle fails the test.</summary>
    private static readonly string[] KnownCycles = [];

    private static readonly Lazy<FolderGraph> Graph = new(() => FolderGraph.Read(Path.Combine(RepoRoot.Path, "src", "MqttRules")));

    [Fact]
    public void Folders_NoCycles()
    {
        output.WriteLine(Graph.Value.ToString());

        Assert.Equal(KnownCycles, Graph.Value.Cycles());
    }

    [Fact]
    public void Rules_ImportsOnlyItsBaseFolders()
    {
        Assert.Subset(ModelBase.ToHashSet(), Graph.Value.Imports["Rules"].ToHashSet());
    }

    [Theory]
    [InlineData("Values")]
    [InlineData("Payloads", "Values")]
    [InlineData("Expressions", "Payloads", "Values")]
    public void BaseFolder_ImportsOnlyFoldersBelowIt(string folder, params string[] below)
    {
        Assert.Subset(below.ToHashSet(), Graph.Value.Imports[folder].ToHashSet());
    }

    /// <summary>The cron library is known to Scheduling/ alone and read once, by the loader: the engine sees the model's parsed schedule.</summary>
    [Fact]
    public void Scheduling_ImportedByTheLoaderOnly()
    {
        var importers = Graph.Value.Imports.Where(p => p.Value.Contains("Scheduling")).Select(p => p.Key);

        Assert.Equal(["Loading"], importers);
    }

    /// <summary>The reader itself: a cycle made on purpose in a scratch tree is found, with the folders it runs through.</summary>
    [Fact]
    public void Read_TwoFoldersImportingEachOther_ReportsTheCycle()
    {
        using var dir = new TempDir();
        dir.Write("A/One.cs", "using MqttRules.B;\nnamespace MqttRules.A;\npublic sealed class One(Two two);\n");
        dir.Write("B/Two.cs", "namespace MqttRules.B;\n// MqttRules.C in a comment is no import\npublic sealed class Two { public A.One? One { get; set; } }\n");
        dir.Write("C/Three.cs", "namespace MqttRules.C;\npublic sealed class Three { public string S = \"MqttRules.A\"; }\n");

        var graph = FolderGraph.Read(dir.Path);

        Assert.Equal(["B"], graph.Imports["A"]);
        Assert.Equal(["A"], graph.Imports["B"]);
        Assert.Empty(graph.Imports["C"]);
        Assert.Equal(["A <-> B"], graph.Cycles());
    }
}
