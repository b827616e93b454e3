using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MqttRules.Testing;

/// <summary>Compares an expected action line with one replay printed.</summary>
internal static class ActionMatch
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Null when <paramref name="actual"/> agrees with <paramref name="expected"/>: every field the
    /// expectation names (inside objects too) with an equal value, or, when <paramref name="exact"/>,
    /// exactly the same fields. Otherwise the first difference, naming the field.
    /// </summary>
    public static string? Difference(JsonObject expected, JsonObject actual, bool exact, string prefix = "")
    {
        foreach (var (key, want) in expected)
        {
            if (!actual.TryGetPropertyValue(key, out var got))
            {
                return $"{prefix}{key}: expected {Show(want)}, the action has no such field";
            }

            if (want is JsonObject wo && got is JsonObject go)
            {
                if (Difference(wo, go, exact, $"{prefix}{key}.") is { } inner)
                {
                    return inner;
                }
            }
            else if (!Equal(want, got))
            {
                return $"{prefix}{key}: expected {Show(want)}, got {Show(got)}";
            }
        }

        if (exact && actual.FirstOrDefault(p => !expected.ContainsKey(p.Key)) is { Key: not null } extra)
        {
            return $"{prefix}{extra.Key}: not expected, got {Show(extra.Value)}";
        }

        return null;
    }

    public static string Show(JsonNode? node) => node is null ? "null" : node.ToJsonString(Compact);

    /// <summary>JSON equality with numbers compared by value (<c>1</c> equals <c>1.0</c>).</summary>
    private static bool Equal(JsonNode? a, JsonNode? b)
    {
        if (a is JsonValue va && b is JsonValue vb && va.GetValueKind() == JsonValueKind.Number && vb.GetValueKind() == JsonValueKind.Number)
        {
            return va.TryGetValue<decimal>(out var da) && vb.TryGetValue<decimal>(out var db)
                ? da == db
                : va.GetValue<double>().Equals(vb.GetValue<double>());
        }

        return JsonNode.DeepEquals(a, b);
    }
}
