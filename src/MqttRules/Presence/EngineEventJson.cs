using System.Buffers;
using System.Text.Json;
using MqttRules.Engine;
using MqttRules.Explaining;

namespace MqttRules.Presence;

/// <summary>
/// The payload of <c>P/events/&lt;rule&gt;</c>, one JSON object (a stable schema, fields in this order):
/// <c>rule</c>, <c>event</c>, <c>series</c> (null without one), <c>time</c> (ISO-8601 UTC, milliseconds),
/// <c>value</c> (number, text, boolean or null), <c>duration</c> (seconds, or null), <c>captures</c>
/// (an object, empty without captures), and <c>details</c> only when the kind adds any.
/// </summary>
public static class EngineEventJson
{
    internal static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(EngineEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteString("rule", e.RuleId);
            w.WriteString("event", e.Event);
            w.WriteString("series", e.Series);
            w.WriteString("time", Replay.ReplayReader.Format(e.Time));
            w.WritePropertyName("value");
            DecisionJson.WriteValue(w, e.Value);
            if (e.Duration is { } d && double.IsFinite(d))
            {
                w.WriteNumber("duration", d);
            }
            else
            {
                w.WriteNull("duration");
            }

            w.WriteStartObject("captures");
            foreach (var (name, value) in e.Captures)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
            if (e.Details.Count > 0)
            {
                w.WriteStartObject("details");
                foreach (var (name, value) in e.Details)
                {
                    w.WritePropertyName(name);
                    DecisionJson.WriteValue(w, value);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
