using MqttRules.Loading;
using MqttRules.Rules;

namespace MqttRules.TestSupport;

/// <summary>Loads rule YAML written inline in a test, with a controlled environment.</summary>
internal static class Yaml
{
    public static LoadResult Load(string yaml, IReadOnlyDictionary<string, string>? env = null, string name = "rules.yaml") =>
        RuleLoader.LoadText(yaml, name, n => env is not null && env.TryGetValue(n, out var v) ? v : null);

    /// <summary>Loads YAML that must be valid and returns its rules.</summary>
    public static RuleSet Rules(string yaml, IReadOnlyDictionary<string, string>? env = null)
    {
        var result = Load(yaml, env);
        Assert.True(result.Ok, string.Join(Environment.NewLine, result.Problems));
        return result.Rules;
    }

    /// <summary>Every problem as <c>FILE:LINE:COL: message</c>.</summary>
    public static IReadOnlyList<string> Problems(string yaml, IReadOnlyDictionary<string, string>? env = null) =>
        Load(yaml, env).Problems.Select(p => p.ToString()).ToList();

    /// <summary>Asserts there is exactly one problem, at <paramref name="position"/> (LINE:COL), whose message contains <paramref name="fragment"/>.</summary>
    public static void SingleProblem(string yaml, string position, string fragment, IReadOnlyDictionary<string, string>? env = null)
    {
        var problems = Problems(yaml, env);
        var problem = Assert.Single(problems);
        Assert.StartsWith($"rules.yaml:{position}: ", problem);
        Assert.Contains(fragment, problem);
    }
}
