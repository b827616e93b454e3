using System.Text.Json.Nodes;
using MqttRules.Actions;
using MqttRules.Loading;
using MqttRules.Replay;
using MqttRules.Rules;

namespace MqttRules.Testing;

/// <summary>
/// Runs rule tests: each case on a fresh engine and the replay clock, exactly as
/// <c>mqttrules replay</c> would run its messages, then compares the action lines.
/// </summary>
/// <param name="replay">Makes the replay runner for a rule set and a sink (the same engine set-up replay uses).</param>
public sealed class RuleTestRunner(Func<RuleSet, IActionSink, ReplayRunner> replay, Func<string, string?>? env = null)
{
    private readonly Dictionary<string, LoadResult> loaded = new(StringComparer.Ordinal);

    public RuleTestResult Run(RuleTestCase test)
    {
        var rules = Load(test.RulePaths);
        if (!rules.Ok)
        {
            return new RuleTestResult(test, [], [.. rules.Problems.Select(p => $"the rules do not load: {p}")]);
        }

        var sink = new CollectingSink();
        try
        {
            replay(rules.Rules, sink).Run(new MemoryStream(test.Input), test.Start);
        }
        catch (ReplayFormatException ex)
        {
            var at = ex.Line - 1 < test.InputLines.Count ? test.InputLines[ex.Line - 1].ToString() : $"line {ex.Line}";
            return new RuleTestResult(test, sink.Actions, [$"{at}: {ex.Reason}"]);
        }

        return new RuleTestResult(test, sink.Actions, Compare(test.Expect, sink.Actions, test.Exact));
    }

    /// <summary>Expected and actual lines side by side, in order; every line that differs is named.</summary>
    internal static List<string> Compare(IReadOnlyList<JsonObject> expected, IReadOnlyList<JsonObject> actual, bool exact)
    {
        var failures = new List<string>();
        for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            if (i >= actual.Count)
            {
                failures.Add($"#{i + 1} missing:    {ActionMatch.Show(expected[i])}");
            }
            else if (i >= expected.Count)
            {
                failures.Add($"#{i + 1} unexpected: {ActionMatch.Show(actual[i])}");
            }
            else if (ActionMatch.Difference(expected[i], actual[i], exact) is { } difference)
            {
                failures.Add($"#{i + 1} {difference}\n     expected: {ActionMatch.Show(expected[i])}\n     actual:   {ActionMatch.Show(actual[i])}");
            }
        }

        if (failures.Count > 0 && expected.Count != actual.Count)
        {
            failures.Insert(0, $"expected {expected.Count} action lines, replay printed {actual.Count}");
        }

        return failures;
    }

    private LoadResult Load(IReadOnlyList<string> paths)
    {
        var key = string.Join('\n', paths);
        if (!loaded.TryGetValue(key, out var result))
        {
            loaded[key] = result = RuleLoader.Load(paths, env);
        }

        return result;
    }

    private sealed class CollectingSink : IActionSink
    {
        public List<JsonObject> Actions { get; } = [];

        public void Submit(RenderedAction action) => Actions.Add(JsonNode.Parse(ActionJson.ToJson(action))!.AsObject());
    }
}
