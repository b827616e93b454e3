using System.Globalization;
using System.Text;
using System.Text.Json;
using MqttRules.Values;

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
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };
    [ThreadStatic]
    private static Payload? spare;

    private ReadOnlyMemory<byte> raw;
    private JsonDocument? document;
    private string? text;
    private bool disposed;
    private TopLevelFields fields;

    private Payload()
    {
    }

    public PayloadKind Kind { get; private set; }

    /// <summary>The number, when <see cref="Kind"/> is Number (or the JSON root is a number).</summary>
    public double Number { get; private set; }
    public ReadOnlyMemory<byte> Raw => raw;

    /// <summary>The raw payload as text.</summary>
    public string Text => text ??= Encoding.UTF8.GetString(raw.Span);

    /// <summary>The JSON root; the document is built on first use (fields are read without it).</summary>
    public JsonElement? Root => Document?.RootElement;

    private JsonDocument? Document
    {
        get
        {
            if (document is null && Kind == PayloadKind.Json && !disposed)
            {
                document = JsonDocument.Parse(raw, JsonOptions);
            }

            return document;
        }
    }

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
                // Validate as JsonDocument.Parse would, without building a document: most rules
                // read one or two fields, which Get finds with a reader over the raw bytes.
                var top = default(TopLevelFields);
                error = Validate(span, ref top);
                return error is not null ? null : Create(bytes, PayloadKind.Json, null, 0, null, top);
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
            return Create(bytes, PayloadKind.Number, null, n, decoded);
        }

        if (trimmed is "true" or "false" or "null")
        {
            var doc = JsonDocument.Parse(bytes, JsonOptions);
            return Create(bytes, PayloadKind.Json, doc, 0, decoded);
        }

        return Create(bytes, PayloadKind.Text, null, 0, decoded);
    }

    /// <summary>Reads a JSON field by path segments; Missing when there is no such field.</summary>
    public Value Get(string[] path)
    {
        if (Kind != PayloadKind.Json || disposed)
        {
            return Value.Missing;
        }

        if (document is not null)
        {
            return GetFromDocument(document.RootElement, path);
        }

        var json = raw.Span;
        var from = 0;
        if (path.Length > 0 && fields.Complete && Ascii.IsValid(path[0]))
        {
            // The first level was noted while validating: start reading at its value.
            var start = fields.Find(json, path[0]);
            if (start < 0)
            {
                return Value.Missing;
            }

            json = json[start..];
            from = 1;
        }

        var reader = new Utf8JsonReader(json, ReaderOptions);
        reader.Read();
        for (var i = from; i < path.Length; i++)
        {
            if (!JsonFields.TryStep(ref reader, path[i]))
            {
                return Value.Missing;
            }
        }

        return JsonFields.ToValue(ref reader, json);
    }

    private static Value GetFromDocument(JsonElement e, string[] path)
    {
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

    /// <summary>
    /// A rule's <c>value</c> when it names no <c>value:</c> path: a number payload; a bare JSON
    /// <c>true</c>/<c>false</c> or string (<c>"Kitchen Light"</c> is that text, without its
    /// quotes); else the top-level <c>value</c> field of an object. Plain text, an array and a
    /// bare <c>null</c> have none (a <c>null</c> reading decides nothing).
    /// </summary>
    public Value DefaultValue() => Kind switch
    {
        PayloadKind.Number => Value.Of(Number),
        PayloadKind.Json => RootKind switch
        {
            JsonValueKind.Object => Get(ValueField),
            JsonValueKind.True or JsonValueKind.False or JsonValueKind.String => Get([]),
            _ => Value.Missing,
        },
        _ => Value.Missing,
    };

    private static readonly string[] ValueField = ["value"];

    /// <summary>The payload as a whole: its number, else its text.</summary>
    public Value AsValue() => Kind switch
    {
        PayloadKind.Number => Value.Of(Number),
        PayloadKind.Json when RootKind is not (JsonValueKind.Object or JsonValueKind.Array) => Get([]),
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

    /// <summary>The kind of the JSON root (Undefined for other payloads), known without parsing.</summary>
    public JsonValueKind RootKind => Kind != PayloadKind.Json ? JsonValueKind.Undefined : FirstNonSpace(raw.Span) switch
    {
        (byte)'{' => JsonValueKind.Object,
        (byte)'[' => JsonValueKind.Array,
        (byte)'"' => JsonValueKind.String,
        (byte)'t' => JsonValueKind.True,
        (byte)'f' => JsonValueKind.False,
        _ => JsonValueKind.Null,
    };

    /// <summary>
    /// Reads every token, throwing the JsonException that JsonDocument.Parse would, and notes
    /// top-level fields; returns why a payload that is JSON cannot be read (a string that is not
    /// valid UTF-8), or null.
    /// </summary>
    private static string? Validate(ReadOnlySpan<byte> span, ref TopLevelFields top)
    {
        var reader = new Utf8JsonReader(span, ReaderOptions);
        while (reader.Read())
        {
            top.See(ref reader);
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && !JsonStrings.IsValid(ref reader))
            {
                return $"the JSON string at byte {reader.TokenStartIndex} is not valid UTF-8 text";
            }
        }

        return null;
    }

    /// <summary>
    /// Releases the document and hands this instance back for the next <see cref="TryParse"/> on this
    /// thread (a message costs no allocation for its payload): do not use a payload once disposed.
    /// </summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        document?.Dispose();
        (document, text, raw, fields) = (null, null, default, default);
        spare = this;
    }

    /// <summary>A payload: the one this thread disposed last, if any, else a new one.</summary>
    private static Payload Create(ReadOnlyMemory<byte> raw, PayloadKind kind, JsonDocument? document, double number, string? text, TopLevelFields fields = default)
    {
        var p = spare ?? new Payload();
        spare = null;
        (p.raw, p.Kind, p.document, p.Number, p.text, p.fields, p.disposed) = (raw, kind, document, number, text, fields, false);
        return p;
    }
}
