using System.Text.Encodings.Web;
using System.Text.Json;
using MqttRules.Engine;
using MqttRules.Replay;
using MqttRules.Values;

namespace MqttRules.Explaining;

/// <summary>A <see cref="RuleDecision"/> as one JSON object (<c>explain --json</c>, <c>replay --explain</c>, the decisions endpoint).</summary>
public static class DecisionJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The decision as a line; with <paramref name="wrap"/>, inside <c>{"explain": ...}</c> (replay's shape, apart from its action lines).</summary>
    public static string ToJson(RuleDecision d, bool wrap = false) => Line(w =>
    {
        if (wrap)
        {
            w.WriteStartObject();
            w.WritePropertyName("explain");
        }

        Write(w, d);
        if (wrap)
        {
            w.WriteEndObject();
        }
    });

    /// <summary>A rule whose filter did not match the message (<c>explain</c>).</summary>
    /// <param name="disabled">The rule is switched off (<c>enabled: false</c>): the line says so with <c>"disabled": true</c>.</param>
    public static string NotMatched(DateTimeOffset time, string ruleId, string topic, bool disabled = false) => Line(w =>
    {
        w.WriteStartObject();
        w.WriteString("t", ReplayReader.Format(time));
        w.WriteString("rule", ruleId);
        w.WriteString("topic", topic);
        w.WriteBoolean("matched", false);
        if (disabled)
        {
            w.WriteBoolean("disabled", true);
        }

        w.WriteEndObject();
    });

    public static void Write(Utf8JsonWriter w, RuleDecision d)
    {
        w.WriteStartObject();
        w.WriteString("t", ReplayReader.Format(d.Time));
        w.WriteString("rule", d.RuleId);
        w.WriteString("series", d.Series);
        w.WriteString("trigger", d.Trigger);
        w.WriteString("topic", d.Topic);
        w.WriteBoolean("matched", d.Matched);
        w.WriteStartObject("captures");
        foreach (var (name, value) in d.Captures)
        {
            w.WriteString(name, value);
        }

        w.WriteEndObject();
        w.WritePropertyName("value");
        WriteValue(w, d.Value);
        w.WriteStartArray("conditions");
        foreach (var c in d.Conditions)
        {
            WriteCondition(w, c);
        }

        w.WriteEndArray();
        if (d.Anomaly is { } a)
        {
            w.WriteStartObject("anomaly");
            w.WriteBoolean("ready", a.Ready);
            w.WriteNumber("z", a.Z);
            w.WriteNumber("mean", a.Mean);
            w.WriteNumber("stddev", a.Stddev);
            w.WriteBoolean("deviates", a.Deviates);
            w.WriteEndObject();
        }

        w.WriteString("phase_before", d.PhaseBefore);
        w.WriteString("phase_after", d.PhaseAfter);
        w.WriteString("reason", d.Reason);
        w.WriteString("explanation", d.Explanation);
        w.WriteString("until", d.Until is { } until ? ReplayReader.Format(until) : null);
        w.WriteString("event", d.Event);
        w.WriteString("failure", d.Failure);
        w.WriteEndObject();
    }

    private static void WriteCondition(Utf8JsonWriter w, ConditionResult c)
    {
        w.WriteStartObject();
        w.WriteString("name", c.Name);
        w.WriteString("source", c.Source);
        if (c.Result is { } result)
        {
            w.WriteBoolean("result", result);
        }
        else
        {
            w.WriteNull("result");
        }

        w.WriteStartObject("fields");
        foreach (var (name, value) in c.Fields)
        {
            w.WritePropertyName(name);
            WriteValue(w, value);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>A value as JSON: a missing one (or JSON null) is null.</summary>
    public static void WriteValue(Utf8JsonWriter w, Value v)
    {
        switch (v.Kind)
        {
            case ValueKind.Number when double.IsFinite(v.Number):
                w.WriteNumberValue(v.Number);
                break;
            case ValueKind.Text:
                w.WriteStringValue(v.Text);
                break;
            case ValueKind.Bool:
                w.WriteBooleanValue(v.IsTrue);
                break;
            case ValueKind.Number:
                w.WriteStringValue(v.ToString());
                break;
            default:
                w.WriteNullValue();
                break;
        }
    }

    private static string Line(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options))
        {
            write(w);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
