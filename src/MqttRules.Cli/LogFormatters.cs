using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using MqttRules.Diagnostics;

namespace MqttRules.Cli;

/// <summary>What both log formats share: the timestamp and the redacted message.</summary>
internal static class LogLine
{
    /// <summary>ISO 8601 with milliseconds and the offset of the clock's local zone: <c>2026-12-05T02:15:03.123+00:00</c>.</summary>
    public static string Timestamp(TimeProvider clock) =>
        clock.GetLocalNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary>The message with credentials in URLs removed, whichever component wrote the line.</summary>
    public static string Message<TState>(in LogEntry<TState> entry) =>
        Redaction.Current.Text(entry.Formatter(entry.State, entry.Exception));
}

/// <summary>Makes text from payloads unable to forge log lines or send terminal escapes.</summary>
internal static class LogEscape
{
    private static readonly System.Buffers.SearchValues<char> Controls = System.Buffers.SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c)));

    /// <summary>
    /// Control characters (U+0000–U+001F, DEL, U+0080–U+009F) written as <c>\n</c>, <c>\r</c>,
    /// <c>\t</c> or <c>\u001b</c>: one log event stays one line, and a value like
    /// <c>x\n02:30:00 ERROR forged</c> or an ANSI escape shows as what it is.
    /// </summary>
    public static string Text(string message)
    {
        var first = message.AsSpan().IndexOfAny(Controls);
        if (first < 0)
        {
            return message;
        }

        var sb = new StringBuilder(message.Length + 16).Append(message, 0, first);
        foreach (var c in message.AsSpan(first))
        {
            _ = c switch
            {
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                '\t' => sb.Append("\\t"),
                _ when Controls.Contains(c) => sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }
}

/// <summary><c>2026-12-05T12:00:01.000+01:00 info  water-burst fired for home/main/water → publish valves/main/set "CLOSE"</c>.</summary>
internal sealed class TextLogFormatter(TimeProvider clock) : ConsoleFormatter("text")
{
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var level = logEntry.LogLevel switch
        {
            LogLevel.Trace => "trace",
            LogLevel.Debug => "debug",
            LogLevel.Information => "info ",
            LogLevel.Warning => "WARN ",
            LogLevel.Error => "ERROR",
            _ => "FATAL",
        };
        textWriter.Write(LogLine.Timestamp(clock));
        textWriter.Write(' ');
        textWriter.Write(level);
        textWriter.Write(' ');
        textWriter.WriteLine(LogEscape.Text(LogLine.Message(logEntry)));
        if (logEntry.Exception is { } ex)
        {
            textWriter.WriteLine(Redaction.Current.Text(ex.ToString()));
        }
    }
}

/// <summary>
/// One JSON object per line for Loki/ELK: <c>timestamp</c>, <c>level</c>, <c>category</c>,
/// <c>event_id</c>, <c>message</c>, the message's named values (<c>RuleId</c>, <c>Series</c> ...)
/// and <c>exception</c> (type and message; the stack trace too at debug level).
/// </summary>
internal sealed class JsonLogFormatter(TimeProvider clock) : ConsoleFormatter("json")
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "timestamp", "level", "category", "event_id", "message", "exception", "{OriginalFormat}",
    };

    /// <summary>Log lines are not HTML: <c>+</c>, <c>&lt;</c> and non-ASCII text stay readable for grep and LogQL.</summary>
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Whether <c>exception</c> carries the stack trace (set at <c>--log-level debug</c>).</summary>
    public bool IncludeStack { get; init; }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", LogLine.Timestamp(clock));
            json.WriteString("level", Level(logEntry.LogLevel));
            json.WriteString("category", logEntry.Category);
            json.WriteNumber("event_id", logEntry.EventId.Id);
            json.WriteString("message", LogLine.Message(logEntry));
            if (logEntry.State is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values.Where(v => !Reserved.Contains(v.Key)))
                {
                    WriteValue(json, key, value);
                }
            }

            if (logEntry.Exception is { } ex)
            {
                json.WriteStartObject("exception");
                json.WriteString("type", ex.GetType().FullName);
                json.WriteString("message", Redaction.Current.Text(ex.Message));
                if (IncludeStack && ex.StackTrace is { } stack)
                {
                    json.WriteString("stack", Redaction.Current.Text(stack));
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        textWriter.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(key);
                break;
            case bool b:
                json.WriteBoolean(key, b);
                break;
            case int or long or short or byte or uint:
                json.WriteNumber(key, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case double d when double.IsFinite(d):
                json.WriteNumber(key, d);
                break;
            case decimal m:
                json.WriteNumber(key, m);
                break;
            default:
                json.WriteString(key, Redaction.Current.Text(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));
                break;
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        _ => "critical",
    };
}
