using System.Text.Encodings.Web;
using System.Text.Json;
using MqttRules.Actions;
using MqttRules.Rules;

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

        w.WriteString("action", RenderedAction.KindName(a.Kind));
        if (a.Notifier is not null)
        {
            w.WriteString("notifier", a.Notifier);
        }

        switch (a.Kind)
        {
            case ActionKind.Publish:
                w.WriteString("topic", a.Topic);
                Content(w, "payload", a.Payload, a.PayloadIsJson);
                w.WriteNumber("qos", a.Qos);
                w.WriteBoolean("retain", a.Retain);
                break;
            case ActionKind.Tweet:
                w.WriteString("text", MqttRules.Actions.Tweet.TweetText.Shorten(a.Text ?? ""));   // as it would be sent
                break;
            case ActionKind.Webhook:
                w.WriteString("url", Diagnostics.Redaction.Current.Url(a.Url)); // credentials shown redacted, as in every output
                w.WriteString("method", a.Method);
                Content(w, "body", a.Body, a.BodyIsJson);
                break;
            case ActionKind.Email:
                if (a.ToIsList)
                {
                    w.WriteStartArray("to");
                    foreach (var to in a.To)
                    {
                        w.WriteStringValue(to);
                    }

                    w.WriteEndArray();
                }
                else
                {
                    w.WriteString("to", a.To.Count > 0 ? a.To[0] : "");
                }

                w.WriteString("subject", a.Subject);
                w.WriteString("body", a.Body);
                break;
            case ActionKind.Log:
                w.WriteString("message", a.Message);
                w.WriteString("level", a.Level);
                break;
        }

        if (a.Notifier is not null && a.Kind != ActionKind.Log)
        {
            w.WriteString("message", a.Message);
        }

        w.WriteEndObject();
    }

    private static void Content(Utf8JsonWriter w, string name, string? text, bool isJson)
    {
        if (text is null)
        {
            w.WriteNull(name);
        }
        else if (isJson)
        {
            w.WritePropertyName(name);
            w.WriteRawValue(text);
        }
        else
        {
            w.WriteString(name, text);
        }
    }
}
