using System.Text.Encodings.Web;
using System.Text.Json;
using MqttRules.Actions;

namespace MqttRules.Replay;

/// <summary>Writes a rendered action as one JSON line (SPEC §4), fields in a fixed order.</summary>
public static class ActionJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToJson(RenderedAction a)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options))
        {
            Write(w, a);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(Utf8JsonWriter w, RenderedAction a)
    {
        w.WriteStartObject();
        w.WriteString("t", ReplayReader.Format(a.Time));
        w.WriteString("rule", a.RuleId);
        w.WriteString("event", RenderedAction.EventName(a.Event));
        if (a.Series is null)
        {
            w.WriteNull("series");
        }
        else
        {
            w.WriteString("series", a.Series);
        }

        w.WriteString("action", a.KindText);
        if (a.Notifier is not null)
        {
            w.WriteString("notifier", a.Notifier);
        }

        a.WriteFields(w);
        if (a.NotifyMessage is not null)
        {
            w.WriteString("message", a.NotifyMessage);
        }

        w.WriteEndObject();
    }
}
