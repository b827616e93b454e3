using System.Text;

namespace MqttRules.Loading;

/// <summary>
/// A rule's source definition in a canonical form, so a reload can tell an unchanged rule from a
/// changed one by what was written, not by where (file, line) or how (quoting, flow or block
/// style, indentation, comments). Scalars keep their text as written (<c>${NAME}</c> unsubstituted).
/// </summary>
internal static class RuleDefinition
{
    /// <summary>What a series' learned state depends on: a changed rule keeps its baselines and latest message when these are the same.</summary>
    public static readonly string[] SeriesKeys = ["topic", "schedule", "value", "anomaly", "timezone"];

    /// <param name="skipping">A top-level key left out (<c>enabled</c>: switching a rule on or off in the file does not reset its state).</param>
    public static string Of(YMapping rule, string? skipping = null) => Write(new StringBuilder(), rule, skipping).ToString();

    /// <summary>The canonical text of <paramref name="keys"/> of the rule, in this order.</summary>
    public static string Of(YMapping rule, IEnumerable<string> keys)
    {
        var sb = new StringBuilder();
        foreach (var key in keys)
        {
            sb.Append(key).Append('=');
            if (rule.Entries.FirstOrDefault(e => e.Key.Value == key).Value is { } node)
            {
                Write(sb, node);
            }

            sb.Append(';');
        }

        return sb.ToString();
    }

    private static StringBuilder Write(StringBuilder sb, YNode node, string? skipping = null)
    {
        switch (node)
        {
            case YScalar s:
                sb.Append('"').Append(s.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                break;
            case YSequence seq:
                sb.Append('[');
                foreach (var item in seq.Items)
                {
                    Write(sb, item).Append(',');
                }

                sb.Append(']');
                break;
            case YMapping map:
                sb.Append('{');
                foreach (var (key, value) in map.Entries.Where(e => e.Key.Value != skipping).OrderBy(e => e.Key.Value, StringComparer.Ordinal))
                {
                    Write(sb, key).Append(':');
                    Write(sb, value).Append(',');
                }

                sb.Append('}');
                break;
        }

        return sb;
    }
}
