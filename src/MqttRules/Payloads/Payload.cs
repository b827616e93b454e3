using System.Globalization;
using System.Text;
using System.Text.Json;
using MqttRules.Expressions;

namespace MqttRules.Payloads;

public enum PayloadKind { Json, Number, Text }

/// <summary>
/// A message payload, parsed once and shared by every rule the message reaches: JSON, else a
/// plain number, else text. Fields are read by dotted path without copying.
/// </summary>
public sealed class Payload : IDisposable
{
    /// <summary>Payloads larger than this are counted as bad and skipped.</summary>
    public const int MaxBytes = 1024 * 1024;

    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64 };
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private readonly ReadOnlyMemory<byte> raw;
    private JsonDocument? document;
    private string? text;

    private Payload(ReadOnlyMemory<byte> raw, PayloadKind kind, JsonDocument? document, double number, string? text)
    {
        this.raw = raw;
        Kind = kind;
        this.document = document;
        Number = number;
        this.text = text;
    }

    public PayloadKind Kind { get; }

    /// <summary>The number, when <see cref="Kind"/> is Number (or the JSON root is a number).</summary>
    public double Number { get; }
    public ReadOnlyMemory<byte> Raw => raw;

    /// <summary>The raw payload as text.</summary>
    public string Text => text ??= Encoding.UTF8.GetString(raw.Span);

    public JsonElement? Root => document?.RootElement;

    /// <summary>Parses a payload, or returns null (with a reason) for one that must be counted and skipped.</summary>
    public static Payload? TryParse(ReadOnlyMemory<byte> bytes, out string? error)
    {
        error = null;
        if (bytes.Length > MaxBytes)
        {
            error = $"payload of {bytes.Length} bytes is over the {MaxBytes}-byte limit";
            return null;
        }

        var span = bytes.Span;
        var first = FirstNonSpace(span);
        if (first is (byte)'{' or (byte)'[' or (byte)'"')
        {
            try
            {
                var doc = JsonDocument.Parse(bytes, JsonOptions);
                var number = doc.RootElement.ValueKind == JsonValueKind.Number ? doc.RootElement.GetDouble() : 0;
                return new Payload(bytes, PayloadKind.Json, doc, number, null);
            }
            catch (JsonException)
            {
                // Not JSON after all: the payload is read as text (SPEC §3: JSON, else a number, else text).
            }
        }

        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(span);
        }
        catch (DecoderFallbackException)
        {
            error = "payload is neither JSON nor valid UTF-8 text";
            return null;
        }

        var trimmed = decoded.Trim();
        if (trimmed.Length > 0 && (char.IsAsciiDigit(trimmed[0]) || trimmed[0] is '-' or '+' or '.')
            && double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n))
        {
            return new Payload(bytes, PayloadKind.Number, null, n, decoded);
        }

        if (trimmed is "true" or "false" or "null")
        {
            var doc = JsonDocument.Parse(bytes, JsonOptions);
            return new Payload(bytes, PayloadKind.Json, doc, 0, decoded);
        }

        return new Payload(bytes, PayloadKind.Text, null, 0, decoded);
    }

    /// <summary>Reads a JSON field by path segments; Missing when there is no such field.</summary>
    public Value Get(string[] path)
    {
        if (document is null)
        {
            return Value.Missing;
        }

        var e = document.RootElement;
        foreach (var segment in path)
        {
            if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(segment, out var child))
            {
                e = child;
            }
            else if (e.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < e.GetArrayLength())
            {
                e = e[i];
            }
            else
            {
                return Value.Missing;
            }
        }

        return ToValue(e);
    }

    public static Value ToValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.TryGetDouble(out var n) && double.IsFinite(n) ? Value.Of(n) : Value.Missing,
        JsonValueKind.String => Value.Of(e.GetString()),
        JsonValueKind.True => Value.True,
        JsonValueKind.False => Value.False,
        JsonValueKind.Null => Value.Null,
        JsonValueKind.Object or JsonValueKind.Array => Value.Of(e.GetRawText()),
        _ => Value.Missing,
    };

    /// <summary>The payload as a whole: its number, else its text.</summary>
    public Value AsValue() => Kind switch
    {
        PayloadKind.Number => Value.Of(Number),
        PayloadKind.Json when document!.RootElement.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array) => ToValue(document.RootElement),
        _ => Value.Of(Text),
    };

    private static byte FirstNonSpace(ReadOnlySpan<byte> span)
    {
        foreach (var b in span)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return b;
            }
        }

        return 0;
    }

    public void Dispose()
    {
        document?.Dispose();
        document = null;
    }
}
