using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace MqttRules.Payloads;

/// <summary>
/// Where the property names of a root JSON object start, noted while the payload is validated,
/// so a top-level field (<c>lpm</c>) is found without reading the JSON again. Only
/// <see cref="Capacity"/> unescaped names are kept (one int each, to keep the payload small);
/// otherwise <see cref="Complete"/> is false and fields are looked up by reading.
/// </summary>
internal struct TopLevelFields
{
    public const int Capacity = 8;
    private Slots nameStarts;
    private int count;
    private bool overflow;
    private bool isObject;

    /// <summary>True when the root is an object and every one of its properties was noted.</summary>
    public readonly bool Complete => isObject && !overflow;

    /// <summary>Notes the token the reader is on; call for every token of the validating read.</summary>
    public void See(ref Utf8JsonReader reader)
    {
        if (reader.CurrentDepth == 0)
        {
            isObject |= reader.TokenType == JsonTokenType.StartObject && count == 0;
            return;
        }

        if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (count == Capacity || reader.ValueIsEscaped)
            {
                overflow = true;
                return;
            }

            nameStarts[count++] = checked((int)reader.TokenStartIndex) + 1;
        }
    }

    /// <summary>Where the value of the last property named <paramref name="name"/> (ASCII) starts, or -1.</summary>
    public readonly int Find(ReadOnlySpan<byte> json, string name)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            // An unescaped name holds no quote: it matches when its bytes are the name's and a quote follows.
            var start = nameStarts[i];
            var end = start + name.Length;
            if (end < json.Length && json[end] == (byte)'"' && Ascii.Equals(json[start..end], name))
            {
                return ValueStart(json, end + 1);
            }
        }

        return -1;
    }

    /// <summary>Past the closing quote of a validated name: spaces, the colon, spaces, then the value.</summary>
    private static int ValueStart(ReadOnlySpan<byte> json, int i)
    {
        while (json[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)':')
        {
            i++;
        }

        return i;
    }

    [InlineArray(Capacity)]
    private struct Slots
    {
        private int element;
    }
}
