using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using MqttRules.Loading;
using MqttRules.Testing;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Testing;

/// <summary>schema/mqttrules-tests.schema.json accepts every test file we ship or document and knows every key the reader knows.</summary>
public sealed class TestFileSchemaTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(RuleSchema.TestsJson);

    public static TheoryData<string> TestFiles() =>
        [.. Directory.GetFiles(RepoRoot.Path, "*.test.yaml", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(RepoRoot.Path, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    [Fact]
    public void SchemaFile_IsWhatTheCliPrints()
    {
        var stdout = new StringWriter();

        Assert.Equal(0, MqttRules.Cli.SchemaCommand.Run(stdout, tests: true));
        Assert.Equal(File.ReadAllText(Path.Combine(RepoRoot.Path, "schema", "mqttrules-tests.schema.json")), stdout.ToString());
    }

    [Theory]
    [MemberData(nameof(TestFiles))]
    public void ShippedTestFile_ValidAgainstSchema_AndCarriesEditorComment(string relative)
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot.Path, relative));
        var depth = relative.Count(c => c == '/');

        Assert.Empty(Errors(text));
        Assert.StartsWith($"# yaml-language-server: $schema={string.Concat(Enumerable.Repeat("../", depth))}schema/mqttrules-tests.schema.json\n", text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void DocumentedTestFiles_ValidAgainstSchema()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot.Path, "README.md")).ReplaceLineEndings("\n");
        var blocks = System.Text.RegularExpressions.Regex.Matches(readme, "^```yaml\\n(?<yaml>.*?)^```", System.Text.RegularExpressions.RegexOptions.Multiline | System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(m => m.Groups["yaml"].Value)
            .Where(y => MqttRules.Tests.Loading.SchemaTests.TestsAtTop().IsMatch(y))
            .ToList();

        Assert.NotEmpty(blocks);
        Assert.All(blocks, yaml => Assert.Empty(Errors(yaml)));
    }

    [Fact]
    public void Schema_KnowsEveryKeyTheReaderKnows()
    {
        var root = JsonNode.Parse(RuleSchema.TestsJson)!.AsObject();
        var definitions = root["definitions"]!;

        Assert.Equal(Sorted(RuleTestReader.FileKeys), Keys(root["properties"]!));
        Assert.Equal(Sorted(RuleTestReader.CaseKeys), Keys(definitions["case"]!["properties"]!));
        Assert.Equal(Sorted(RuleTestReader.GivenKeys), Keys(definitions["message"]!["properties"]!));
    }

    [Theory]
    [InlineData("rules: r.yaml\ntests:\n  - name: a\n    givn: []\n    expect: []\n")]
    [InlineData("rules: r.yaml\ntests:\n  - name: a\n    given: [ { t: 0, topic: x, paylod: 1 } ]\n    expect: []\n")]
    [InlineData("tests: []\n")]
    [InlineData("rules: r.yaml\ntests:\n  - name: a\n    given: []\n    expect: [ { event: fired } ]\n")]
    public void Mistakes_RejectedBySchema(string yaml) => Assert.NotEmpty(Errors(yaml));

    private static List<string> Errors(string yaml)
    {
        var result = Schema.Evaluate(JsonSerializer.SerializeToElement(YamlJson.Convert(yaml)), new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid ? [] : ["invalid"];
    }

    private static string[] Keys(JsonNode properties) => Sorted(properties.AsObject().Select(p => p.Key));

    private static string[] Sorted(IEnumerable<string> keys) => [.. keys.Order(StringComparer.Ordinal)];
}
