using System.Text.Json.Nodes;
using MqttRules.Rules;

namespace MqttRules.Testing;

/// <summary>
/// One rule test: messages fed through the rules on the replay clock, and the action lines
/// expected back. <see cref="Exact"/> (a sample folder's expected.jsonl) compares whole lines;
/// otherwise each expected line names only the fields its author cares about.
/// </summary>
public sealed record RuleTestCase(
    string Name,
    SourceLocation Location,
    IReadOnlyList<string> RulePaths,
    DateTimeOffset Start,
    byte[] Input,
    IReadOnlyList<SourceLocation> InputLines,
    IReadOnlyList<JsonObject> Expect,
    bool Exact);

/// <summary>What one case did: the action lines it printed and, when it failed, why.</summary>
public sealed record RuleTestResult(RuleTestCase Case, IReadOnlyList<JsonObject> Actual, IReadOnlyList<string> Failures)
{
    public bool Passed => Failures.Count == 0;
}
