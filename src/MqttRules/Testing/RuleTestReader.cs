using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MqttRules.Loading;
using MqttRules.Replay;
using MqttRules.Rules;
using MqttRules.Values;
using YamlDotNet.Core;

namespace MqttRules.Testing;

/// <summary>
/// Reads a rule test file (<c>*.test.yaml</c>): <c>rules:</c> (paths relative to the file),
/// optional <c>start:</c>, and <c>tests:</c>, each with a <c>name</c>, <c>given</c> messages in the
/// replay line form and the <c>expect</c>ed action lines. Every problem is reported as
/// <c>FILE:LINE:COL</c>, as in rule files.
/// </summary>
internal static partial class RuleTestReader
{
    internal static readonly string[] FileKeys = ["rules", "start", "tests"];
    internal static readonly string[] CaseKeys = ["name", "start", "given", "expect"];
    internal static readonly string[] GivenKeys = ["t", "topic", "payload", "payload_b64"];

    public static IReadOnlyList<RuleTestCase> Read(string path, List<Problem> problems, Func<string, string?>? env = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add(new Problem(new SourceLocation(path, 0, 0), $"cannot read the file: {ex.Message}"));
            return [];
        }

        var file = new FileContext(path, text, env ?? Configuration.Secrets.Process, problems);
        YNode? root;
        try
        {
            root = YamlTree.Read(text, (mark, message) => problems.Add(new Problem(file.Loc(mark), message)));
        }
        catch (YamlException ex)
        {
            problems.Add(new Problem(file.Loc(ex.Start), $"YAML syntax error: {ex.Message}"));
            return [];
        }

        if (root is not YMapping map)
        {
            problems.Add(new Problem(new SourceLocation(path, 1, 1), "a rule test file is a mapping with 'rules:' and 'tests:'"));
            return [];
        }

        var top = new MappingReader(file, map, "a rule test file", FileKeys);
        var rules = RulePaths(file, top, path);
        var start = Start(file, top, ReplayReader.DefaultStart);
        if (top["tests"] is not YSequence tests)
        {
            file.Problem(top["tests"] ?? map, "'tests' must be a list of test cases");
            return [];
        }

        var cases = new List<RuleTestCase>();
        foreach (var item in tests.Items)
        {
            // A case with a problem is not run: the problem is reported (and fails the run) instead.
            var before = problems.Count;
            if (ReadCase(file, item, rules, start) is { } c && problems.Count == before)
            {
                cases.Add(c);
            }
        }

        return cases;
    }

    private static List<string> RulePaths(FileContext file, MappingReader top, string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var node = top["rules"];
        var items = node switch
        {
            YScalar s => [s],
            YSequence seq => seq.Items.OfType<YScalar>().ToList(),
            _ => new List<YScalar>(),
        };
        if (items.Count == 0)
        {
            file.Problem(node ?? top.Node, "'rules' names the rule files or folders to test, relative to this file");
        }

        return items.Select(s => Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(dir, file.Text(s)))).ToList();
    }

    private static DateTimeOffset Start(FileContext file, MappingReader map, DateTimeOffset fallback)
    {
        if (map.String("start") is not { } text)
        {
            return fallback;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var start))
        {
            return start;
        }

        file.Problem(map["start"]!, $"'start: {text}' is not an ISO-8601 time such as 2026-01-01T00:00:00Z");
        return fallback;
    }

    private static RuleTestCase? ReadCase(FileContext file, YNode item, List<string> rules, DateTimeOffset fileStart)
    {
        if (item is not YMapping map)
        {
            file.Problem(item, "a test case is a mapping with 'name', 'given' and 'expect'");
            return null;
        }

        var reader = new MappingReader(file, map, "a test case", CaseKeys);
        var name = reader.String("name", required: true, what: "a test case") ?? "";
        var start = Start(file, reader, fileStart);
        var (input, lines) = Given(file, reader);
        var expect = Expected(file, reader, start);
        return new RuleTestCase(name, file.Loc(map), rules, start, input, lines, expect, Exact: false);
    }

    private static (byte[] Input, List<SourceLocation> Lines) Given(FileContext file, MappingReader reader)
    {
        var input = new StringBuilder();
        var lines = new List<SourceLocation>();
        foreach (var given in Items(file, reader, "given"))
        {
            if (GivenLine(file, given) is { } line)
            {
                input.Append(line.ToJsonString()).Append('\n');
                lines.Add(file.Loc(given));
            }
        }

        return (Encoding.UTF8.GetBytes(input.ToString()), lines);
    }

    private static List<JsonObject> Expected(FileContext file, MappingReader reader, DateTimeOffset start)
    {
        var expect = new List<JsonObject>();
        foreach (var e in Items(file, reader, "expect"))
        {
            if (YamlValues.ToJson(file, e) is JsonObject o)
            {
                if (o["t"] is { } t && Time(t, start) is { } time)
                {
                    o["t"] = time;
                }

                expect.Add(o);
            }
            else
            {
                file.Problem(e, "an expected action is a mapping of action-line fields, such as {rule: water-burst, event: fire, action: publish}");
            }
        }

        return expect;
    }

    private static IReadOnlyList<YNode> Items(FileContext file, MappingReader reader, string key)
    {
        switch (reader[key])
        {
            case YSequence seq:
                return seq.Items;
            case null:
                file.Problem(reader.Node, key == "expect"
                    ? "missing 'expect': the action lines expected, or 'expect: []' for nothing"
                    : $"missing '{key}': the messages to send");
                return [];
            case var other:
                file.Problem(other, $"'{key}' must be a list");
                return [];
        }
    }

    /// <summary>A <c>given</c> message as a replay line; <c>t</c> may also be a duration such as <c>5m</c>.</summary>
    private static JsonObject? GivenLine(FileContext file, YNode given)
    {
        if (given is not YMapping map)
        {
            file.Problem(given, "a given message is a mapping: {t: 0, topic: home/main/water, payload: {flow: {lpm: 40}}}");
            return null;
        }

        _ = new MappingReader(file, map, "a given message", GivenKeys);
        if (YamlValues.ToJson(file, map) is not JsonObject line)
        {
            return null;
        }

        if (line["t"] is JsonValue t && t.TryGetValue<string>(out var text) && Durations.TryParse(text, out var offset, out _))
        {
            line["t"] = offset.TotalSeconds;
        }

        return line;
    }

    /// <summary>An expected <c>t</c>: seconds or a duration after the start, or an ISO time, in the form replay prints.</summary>
    private static string? Time(JsonNode t, DateTimeOffset start)
    {
        if (t is not JsonValue v)
        {
            return null;
        }

        if (v.TryGetValue<double>(out var seconds))
        {
            return ReplayReader.Format(start.AddSeconds(seconds));
        }

        if (!v.TryGetValue<string>(out var text))
        {
            return null;
        }

        if (Durations.TryParse(text, out var offset, out _))
        {
            return ReplayReader.Format(start + offset);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? ReplayReader.Format(at)
            : text;
    }
}
