using System.Text.Json.Nodes;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Samples;

/// <summary>
/// Every <c>samples/*/</c> folder with rules.yaml, input.jsonl and expected.jsonl is replayed
/// through the real replay command; its output must equal expected.jsonl line by line (as JSON).
/// Folders added later are picked up without touching this file.
/// </summary>
public class SampleReplayTests
{
    private static readonly string SamplesRoot = Path.Combine(RepoRoot.Path, "samples");

    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.EnumerateDirectories(SamplesRoot).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(dir, "rules.yaml")) && File.Exists(Path.Combine(dir, "input.jsonl")) && File.Exists(Path.Combine(dir, "expected.jsonl")))
            {
                data.Add(Path.GetFileName(dir));
            }
        }

        return data;
    }

    [Fact]
    public void Samples_Discovered_AtLeastSix()
    {
        Assert.True(Samples().Count >= 6, $"expected at least six sample folders under {SamplesRoot}");
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Replay_Sample_OutputEqualsExpected(string sample)
    {
        var dir = Path.Combine(SamplesRoot, sample);
        var result = CliRunner.Run(["replay", Path.Combine(dir, "input.jsonl"), "--rules", Path.Combine(dir, "rules.yaml")]);
        Assert.True(result.ExitCode == 0, $"replay of {sample} exited {result.ExitCode}: {result.Stderr}");

        var expected = NonBlankLines(File.ReadAllText(Path.Combine(dir, "expected.jsonl")));
        var actual = NonBlankLines(result.Stdout);
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            Assert.True(
                JsonNode.DeepEquals(JsonNode.Parse(expected[i]), JsonNode.Parse(actual[i])),
                $"{sample}/expected.jsonl line {i + 1} differs{Environment.NewLine}expected: {expected[i]}{Environment.NewLine}actual:   {actual[i]}");
        }

        Assert.True(
            expected.Count == actual.Count,
            $"{sample}: expected {expected.Count} action lines, replay printed {actual.Count}{Environment.NewLine}{string.Join(Environment.NewLine, actual.Skip(Math.Min(expected.Count, actual.Count)))}");
    }

    private static List<string> NonBlankLines(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
}
