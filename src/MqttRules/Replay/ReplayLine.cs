using System.Globalization;
using System.Text;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace MqttRules.Replay;

/// <summary>One recorded message. <see cref="Payload"/> is null when the payload itself is bad (skipped and counted).</summary>
public sealed record ReplayLine(int LineNumber, DateTimeOffset Time, string Topic, byte[]? Payload);

/// <summary>A line of a replay file that is not a message: replay stops with exit code 1.</summary>
public sealed class ReplayFormatException(int line, string message) : Exception($"line {line}: {message}")
{
    public int Line { get; } = line;

    /// <summary>What is wrong with the line, without the <c>line N:</c> prefix (callers name the file and line).</summary>
    public string Reason { get; } = message;
}

/// <summary>Reads the replay format (SPEC §4), one JSON object per line.</summary>
public static class ReplayReader
{
    /// <summary>
    /// How deep a line may nest: deep enough that a hostile, deeply nested <c>payload</c> is read
    /// and then skipped as a bad payload (SPEC §5) rather than failing the whole line.
    /// </summary>
    private const int MaxLineDepth = 100_000;

    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Replayed times stay between 1970 and 9000, so that rule durations (at most 520w) and
    /// history windows can be added to and subtracted from any of them.
    /// </summary>
    public static readonly DateTimeOffset Earliest = DateTimeOffset.UnixEpoch;

    public static readonly DateTimeOffset Latest = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>Reads lines already decoded to text (tests, in-memory input).</summary>
    public static IEnumerable<ReplayLine> Read(TextReader reader, DateTimeOffset start) => Read(ReplayLines.Of(reader), start);

    /// <summary>
    /// Reads a replay file as bytes, so that invalid UTF-8 is seen rather than decoded to U+FFFD:
    /// inside <c>payload</c> it makes a bad payload (skipped and counted, as live), elsewhere a bad line.
    /// </summary>
    public static IEnumerable<ReplayLine> Read(Stream stream, DateTimeOffset start) => Read(ReplayLines.Of(stream), start);

    private static IEnumerable<ReplayLine> Read(IEnumerable<byte[]> lines, DateTimeOffset start)
    {
        var number = 0;
        DateTimeOffset? previous = null;
        foreach (var bytes in lines)
        {
            number++;
            if (ReplayLines.IsBlank(bytes))
            {
                continue;
            }

            var line = Parse(bytes, number, start);
            if (previous is { } p && line.Time < p)
            {
                throw new ReplayFormatException(number, $"time {Format(line.Time)} is earlier than the previous line's {Format(p)}; lines must be in time order");
            }

            previous = line.Time;
            yield return line;
        }
    }

    public static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static ReplayLine Parse(byte[] text, int number, DateTimeOffset start)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = MaxLineDepth });
        }
        catch (JsonException ex)
        {
            throw new ReplayFormatException(number, $"not valid JSON ({ex.Message})");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ReplayFormatException(number, "not a JSON object; each line is {\"t\": ..., \"topic\": ..., \"payload\": ...}");
            }

            var payloadIsText = Utf8.IsValid(text) || OnlyPayloadIsInvalid(text, root, number);
            var time = ReadTime(root, number, start);
            if (!root.TryGetProperty("topic", out var topicEl) || topicEl.ValueKind != JsonValueKind.String || topicEl.ValueEquals(""))
            {
                throw new ReplayFormatException(number, "missing \"topic\" (a non-empty string)");
            }

            var topic = Text(topicEl, number, "topic");
            if (topic.AsSpan().IndexOfAny("+#") >= 0)
            {
                throw new ReplayFormatException(number, $"\"topic\" '{topic}' is a filter; a message has a concrete topic");
            }

            return new ReplayLine(number, time, topic, payloadIsText ? ReadPayload(root, number) : null);
        }
    }

    /// <summary>
    /// The line has invalid UTF-8: false when all of it lies inside the <c>payload</c> value (a bad
    /// payload, as the same bytes live); a bad line naming its number when any lies outside.
    /// </summary>
    private static bool OnlyPayloadIsInvalid(byte[] text, JsonElement root, int number)
    {
        var line = text.AsSpan();
        if (root.TryGetProperty("payload", out var payload)
            && line.Overlaps(JsonMarshal.GetRawUtf8Value(payload), out var offset))
        {
            var end = offset + JsonMarshal.GetRawUtf8Value(payload).Length;
            if (Utf8.IsValid(line[..offset]) && Utf8.IsValid(line[end..]))
            {
                return false;
            }
        }

        throw new ReplayFormatException(number, "has bytes that are not valid UTF-8 outside \"payload\"; a replay file is UTF-8 text");
    }

    private static DateTimeOffset ReadTime(JsonElement root, int number, DateTimeOffset start)
    {
        if (!root.TryGetProperty("t", out var t))
        {
            throw new ReplayFormatException(number, "missing \"t\" (an ISO-8601 time or seconds after --start)");
        }

        if (t.ValueKind == JsonValueKind.Number && t.TryGetDouble(out var seconds) && double.IsFinite(seconds)
            && seconds > (Earliest - start).TotalSeconds && seconds < (Latest - start).TotalSeconds)
        {
            return start + TimeSpan.FromSeconds(seconds);
        }

        if (t.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(Text(t, number, "t"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            && time >= Earliest && time <= Latest)
        {
            return time;
        }

        if (t.ValueKind is JsonValueKind.Number or JsonValueKind.String)
        {
            throw new ReplayFormatException(number, $"\"t\" {Shorten(t.GetRawText())} is not a time between {Format(Earliest)} and {Format(Latest)}; write an ISO-8601 time or a number of seconds after --start");
        }

        throw new ReplayFormatException(number, $"\"t\" must be an ISO-8601 time or a number of seconds, not {t.GetRawText()}");
    }

    /// <summary>A string value; one with an escape that is no Unicode text (a lone <c>\ud800</c>) makes the line bad.</summary>
    private static string Text(JsonElement e, int number, string key)
    {
        try
        {
            return e.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new ReplayFormatException(number, $"\"{key}\" {Shorten(e.GetRawText())} is not valid text (it has an escape such as \\ud800 that is half a UTF-16 pair)");
        }
    }

    private static string Shorten(string raw) => raw.Length <= 40 ? raw : raw[..40] + "…";

    private static byte[]? ReadPayload(JsonElement root, int number)
    {
        if (root.TryGetProperty("payload_b64", out var b64))
        {
            if (b64.ValueKind != JsonValueKind.String)
            {
                throw new ReplayFormatException(number, "\"payload_b64\" must be a base64 string");
            }

            try
            {
                return Convert.FromBase64String(Text(b64, number, "payload_b64"));
            }
            catch (FormatException)
            {
                throw new ReplayFormatException(number, "\"payload_b64\" is not valid base64");
            }
        }

        if (!root.TryGetProperty("payload", out var payload))
        {
            return [];
        }

        try
        {
            // A string with an escape that is not valid UTF-16 (a lone "\udc00") makes the payload bad, not the line.
            return payload.ValueKind != JsonValueKind.String
                ? Encoding.UTF8.GetBytes(payload.GetRawText().Length < 64 * 1024 ? Compact(payload) : payload.GetRawText())
                : StrictUtf8.GetBytes(payload.GetString()!);
        }
        catch (Exception ex) when (ex is InvalidOperationException or EncoderFallbackException or ArgumentException)
        {
            return null;
        }
    }

    private static string Compact(JsonElement e)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = MaxLineDepth }))
        {
            e.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
