using System.Globalization;
using System.Text;
using System.Text.Json;
using MqttRules.Values;

namespace MqttRules.Payloads;

/// <summary>
/// Reads one field of a validated JSON payload with a <see cref="Utf8JsonReader"/>, with the
/// answers <see cref="JsonElement"/> gives (a repeated property: the last one wins), but
/// without building a <see cref="JsonDocument"/>.
/// </summary>
internal static class JsonFields
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>From a value token to its child <paramref name="segment"/>: a property name, or an array index.</summary>
    public static bool TryStep(ref Utf8JsonReader reader, string segment) => reader.TokenType switch
    {
        JsonTokenType.StartObject => TryProperty(ref reader, segment),
        JsonTokenType.StartArray => int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && TryElement(ref reader, i),
        _ => false,
    };

    /// <summary>The value under the reader, as <see cref="Payload.ToValue(JsonElement)"/> reads it.</summary>
    public static Value ToValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.TryGetDouble(out var n) && double.IsFinite(n) ? Value.Of(n) : Value.Missing,
        JsonTokenType.String => Value.Of(reader.GetString()),
        JsonTokenType.True => Value.True,
        JsonTokenType.False => Value.False,
        JsonTokenType.Null => Value.Null,
        JsonTokenType.StartObject or JsonTokenType.StartArray => Value.Of(RawText(ref reader, json)),
        _ => Value.Missing,
    };

    private static bool TryProperty(ref Utf8JsonReader reader, string name)
    {
        var found = false;
        Utf8JsonReader at = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match)
            {
                at = reader;
                found = true;
            }

            reader.Skip();
        }

        if (found)
        {
            reader = at;
        }

        return found;
    }

    private static bool TryElement(ref Utf8JsonReader reader, int index)
    {
        for (var n = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; n++)
        {
            if (n == index)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    private static string RawText(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        var start = checked((int)reader.TokenStartIndex);
        reader.Skip();
        return StrictUtf8.GetString(json[start..checked((int)reader.BytesConsumed)]);
    }
}
