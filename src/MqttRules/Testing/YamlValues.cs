using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MqttRules.Loading;
using YamlDotNet.Core;

namespace MqttRules.Testing;

/// <summary>
/// YAML as JSON, the way a user reads it: plain <c>-20</c>, <c>true</c> and <c>null</c> are a
/// number, a boolean and null; quoted scalars are always text.
/// </summary>
internal static partial class YamlValues
{
    public static JsonNode? ToJson(FileContext file, YNode node) => node switch
    {
        YScalar s => Scalar(file, s),
        YSequence seq => new JsonArray([.. seq.Items.Select(i => ToJson(file, i))]),
        YMapping map => Mapping(file, map),
        _ => null,
    };

    private static JsonObject Mapping(FileContext file, YMapping map)
    {
        var o = new JsonObject();
        foreach (var (key, value) in map.Entries)
        {
            o[key.Value] = ToJson(file, value);
        }

        return o;
    }

    private static JsonNode? Scalar(FileContext file, YScalar s)
    {
        if (s.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(file.Text(s));
        }

        if (s.IsNull)
        {
            return null;
        }

        return s.Value switch
        {
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            var v when JsonNumber().IsMatch(v) => JsonNode.Parse(v),
            _ => JsonValue.Create(file.Text(s)),
        };
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex JsonNumber();
}
