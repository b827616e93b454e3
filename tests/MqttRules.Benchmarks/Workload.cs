using System.Globalization;
using System.Text;
using MqttRules.Loading;
using MqttRules.Rules;

namespace MqttRules.Benchmarks;

/// <summary>
/// The canonical workload: rule i watches its own meter on the concrete topic
/// <c>home/m{i}/water</c>, fires when <c>lpm &gt; 30</c> and publishes <c>alerts/m{i}/water</c>.
/// Payloads are <c>{"lpm": n, "ts": t}</c>, built once as byte arrays.
/// </summary>
public static class Workload
{
    public static string RulesYaml(int count, bool distinct = false)
    {
        var sb = new StringBuilder("rules:\n");
        for (var i = 0; i < count; i++)
        {
            var meter = "m" + i.ToString(CultureInfo.InvariantCulture);
            sb.Append("  - id: water-").Append(meter).Append('\n')
              .Append("    topic: home/").Append(meter).Append("/water\n")
              .Append("    when: ").Append(Condition(i, distinct)).Append('\n')
              .Append("    actions:\n")
              .Append("      - publish:\n")
              .Append("          topic: alerts/").Append(meter).Append("/water\n")
              .Append("          payload: \"{{lpm}} l/min\"\n");
        }

        return sb.ToString();
    }

    /// <summary>
    /// <c>lpm &gt; 30</c> for every rule, or (<paramref name="distinct"/>) a threshold of its own
    /// in [30, 31): <c>lpm &gt; 30.0017</c> for rule 17. Every threshold splits the workload's
    /// payloads exactly as 30 does (non-firing lpm &lt; 25, firing lpm ≥ 31), but no two rules
    /// share the text of their condition, so nothing compiled can be shared between them.
    /// </summary>
    public static string Condition(int i, bool distinct) =>
        distinct ? string.Create(CultureInfo.InvariantCulture, $"lpm > 30.{i:D4}") : "lpm > 30";

    public static RuleSet Rules(int count, bool distinct = false)
    {
        var result = RuleLoader.LoadText(RulesYaml(count, distinct));
        if (result.Problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join('\n', result.Problems));
        }

        return result.Rules;
    }

    public static string[] Topics(int count) =>
        Enumerable.Range(0, count).Select(i => $"home/m{i}/water").ToArray();

    /// <summary><paramref name="count"/> payloads with lpm spread over [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static byte[][] Payloads(int count, double low, double high) =>
        Enumerable.Range(0, count)
            .Select(i => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $$"""{"lpm": {{Math.Round(low + ((high - low) * i / count), 1)}}, "ts": {{1_764_000_000 + i}}}""")))
            .ToArray();
}
