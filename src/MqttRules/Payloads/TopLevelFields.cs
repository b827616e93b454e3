using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace MqttRules.Payloads;

/// <summary>
/// Where the properties of a root JSON object start, noted while the payload is validated, so
/// a top-level field (<c>lpm</c>) is found without reading the JSON again. Only
/// <see cref="Capacity"/> unescaped names are kept; otherwise <see cref="Complete"/> is false
/// and fields are looked up by reading.
/// </summary>
internal struct TopLevelFields
{
    public const int Capacity = 8;
    private Slots slots;
    private int count;
    private bool pendingValue;
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

        if (pendingValue)
        {
            slots[count - 1].ValueStart = checked((int)reader.TokenStartIndex);
            pendingValue = false;
        }
        else if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (count == Capacity || reader.ValueIsEscaped)
            {
                overflow = true;
                return;
            }

            slots[count++] = new Field { NameStart = checked((int)reader.TokenStartIndex) + 1, NameLength = reader.ValueSpan.Length };
            pendingValue = true;
        }
    }

    /// <summary>Where the value of the last property named <paramref name="name"/> (ASCII) starts, or -1.</summary>
    public readonly int Find(ReadOnlySpan<byte> json, string name)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            var f = slots[i];
            if (f.NameLength == name.Length && Ascii.Equals(json.Slice(f.NameStart, f.NameLength), name))
            {
                return f.ValueStart;
            }
        }

        return -1;
    }

    private struct Field
    {
        public int NameStart;
        public int NameLength;
        public int ValueStart;
    }

    [InlineArray(Capacity)]
    private struct Slots
    {
        private Field element;
    }
}
