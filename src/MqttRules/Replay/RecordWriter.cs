using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MqttRules.Replay;

/// <summary>
/// Writes live messages in the replay format (SPEC §5 "Record format"): a JSON object or array
/// payload as a JSON value, other valid UTF-8 as a string, anything else as <c>payload_b64</c>.
/// </summary>
internal sealed class RecordWriter(Stream output) : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ArrayBufferWriter<byte> buffer = new(1024);
    private readonly Utf8JsonWriter json = new(Stream.Null, Options);

    public long Count { get; private set; }

    public void Write(DateTimeOffset time, string topic, ReadOnlySpan<byte> payload)
    {
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        json.WriteStartObject();
        json.WriteString("t", ReplayReader.Format(time));
        json.WriteString("topic", topic);
        WritePayload(json, payload);
        json.WriteEndObject();
        json.Flush();
        output.Write(buffer.WrittenSpan);
        output.WriteByte((byte)'\n');
        Count++;
    }

    public void Flush() => output.Flush();

    public void Dispose()
    {
        json.Dispose();
        output.Flush();
    }

    internal static void WritePayload(Utf8JsonWriter w, ReadOnlySpan<byte> payload)
    {
        var trimmed = payload.Trim(" \t\r\n"u8);
        if (trimmed.Length > 0 && (trimmed[0] == (byte)'{' || trimmed[0] == (byte)'[') && IsJson(trimmed))
        {
            using var doc = JsonDocument.Parse(trimmed.ToArray());
            w.WritePropertyName("payload");
            doc.RootElement.WriteTo(w);
            return;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            w.WriteBase64String("payload_b64", payload);
            return;
        }

        w.WriteString("payload", text);
    }

    private static bool IsJson(ReadOnlySpan<byte> bytes)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            return JsonDocument.TryParseValue(ref reader, out var doc) && Dispose(doc) && reader.BytesConsumed == bytes.Length;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool Dispose(JsonDocument? doc)
    {
        doc?.Dispose();
        return true;
    }
}
