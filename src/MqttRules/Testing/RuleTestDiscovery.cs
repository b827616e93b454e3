using System.Text.Json;
using System.Text.Json.Nodes;
using MqttRules.Loading;
using MqttRules.Replay;
using MqttRules.Rules;

namespace MqttRules.Testing;

/// <summary>
/// Finds rule tests under the paths given: <c>*.test.yaml</c> files, and sample folders that hold
/// <c>rules.yaml</c>, <c>input.jsonl</c> and <c>expected.jsonl</c> (replayed and compared line by line).
/// </summary>
public static class RuleTestDiscovery
{
    public static IReadOnlyList<RuleTestCase> Find(IReadOnlyList<string> paths, List<Problem> problems, Func<string, string?>? env = null)
    {
        var cases = new List<RuleTestCase>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                cases.AddRange(RuleTestReader.Read(path, problems, env));
            }
            else if (Directory.Exists(path))
            {
                FromFolder(path, cases, problems, env);
            }
            else
            {
                problems.Add(new Problem(new SourceLocation(path, 0, 0), "no such file or folder"));
            }
        }

        return cases;
    }

    private static void FromFolder(string path, List<RuleTestCase> cases, List<Problem> problems, Func<string, string?>? env)
    {
        var before = cases.Count;
        foreach (var dir in Directory.EnumerateDirectories(path, "*", SearchOption.AllDirectories).Prepend(path).Order(StringComparer.Ordinal))
        {
            if (Sample(dir, problems) is { } sample)
            {
                cases.Add(sample);
            }

            foreach (var file in Directory.EnumerateFiles(dir).Where(RuleLoader.IsTestFile).Order(StringComparer.Ordinal))
            {
                cases.AddRange(RuleTestReader.Read(file, problems, env));
            }
        }

        if (cases.Count == before && problems.Count == 0)
        {
            problems.Add(new Problem(new SourceLocation(path, 0, 0), "no rule tests here (*.test.yaml files, or folders with rules.yaml, input.jsonl and expected.jsonl)"));
        }
    }

    private static RuleTestCase? Sample(string dir, List<Problem> problems)
    {
        var rules = Path.Combine(dir, "rules.yaml");
        var input = Path.Combine(dir, "input.jsonl");
        var expected = Path.Combine(dir, "expected.jsonl");
        if (!File.Exists(rules) || !File.Exists(input) || !File.Exists(expected))
        {
            return null;
        }

        var lines = new List<JsonObject>();
        var number = 0;
        foreach (var line in File.ReadLines(expected))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                lines.Add(JsonNode.Parse(line)!.AsObject());
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                problems.Add(new Problem(new SourceLocation(expected, number, 1), "not a JSON object (each line of expected.jsonl is one action line)"));
                return null;
            }
        }

        var bytes = File.ReadAllBytes(input);
        var inputLines = Enumerable.Range(1, bytes.Count(b => b == '\n') + 1).Select(n => new SourceLocation(input, n, 1)).ToList();
        return new RuleTestCase(Path.GetFileName(dir), new SourceLocation(dir, 0, 0), [rules], ReplayReader.DefaultStart, bytes, inputLines, lines, Exact: true);
    }
}
