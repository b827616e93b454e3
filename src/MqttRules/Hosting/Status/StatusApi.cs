using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MqttRules.Diagnostics;
using MqttRules.Explaining;
using MqttRules.Outbox;
using MqttRules.Rules;

namespace MqttRules.Hosting.Status;

/// <summary>
/// The status page at <c>/</c> and <c>GET /api/status</c>: broker connection, message count, the
/// rules' value and anomaly settings (for the plots), the fires and resolves of the last 24 h and the
/// outbox. Read-only. The outbox is read through <see cref="OutboxStore"/>, whose statements hold the
/// state file's gate, as the delivery lanes' do.
/// </summary>
internal sealed class StatusApi(EngineMetrics metrics, OutboxStore? outbox, RecentEvents events, Func<IReadOnlyList<Rule>> rules, TimeProvider clock)
{
    /// <summary>The dead letters listed (the newest; the count covers all).</summary>
    public const int DeadLetterLimit = 20;

    public void Map(WebApplication app)
    {
        app.MapGet("/", () => Results.Text(StatusPage.Html, "text/html; charset=utf-8"));
        app.MapGet("/api/status", () => Results.Text(Json(), "application/json"));
    }

    internal string Json() => RuleApi.Json(w =>
    {
        RuleApi.Time(w, "now", clock.GetUtcNow());
        w.WriteBoolean("broker_connected", metrics.BrokerConnected);
        w.WriteNumber("messages_total", metrics.Messages);
        RuleApi.Time(w, "last_message", metrics.LastMessageEvaluated);
        WriteRules(w);
        WriteEvents(w);
        WriteOutbox(w);
    });

    private void WriteRules(Utf8JsonWriter w)
    {
        w.WriteStartArray("rules");
        foreach (var rule in rules())
        {
            w.WriteStartObject();
            w.WriteString("id", rule.Id);
            w.WriteString("description", rule.Description);
            w.WriteString("value", rule.ValuePath);
            if (rule.Anomaly is { } a)
            {
                w.WriteStartObject("anomaly");
                w.WriteString("method", a.Method.ToString().ToLowerInvariant());
                w.WriteNumber("threshold", a.Threshold);
                w.WriteString("direction", a.Direction.ToString().ToLowerInvariant());
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private void WriteEvents(Utf8JsonWriter w)
    {
        w.WriteStartArray("events");
        foreach (var e in events.Recent())
        {
            w.WriteStartObject();
            RuleApi.Time(w, "t", e.Time);
            w.WriteString("rule", e.RuleId);
            w.WriteString("series", e.Series);
            w.WriteString("event", e.Event);
            w.WritePropertyName("value");
            DecisionJson.WriteValue(w, e.Value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private void WriteOutbox(Utf8JsonWriter w)
    {
        if (outbox is null)
        {
            w.WriteNull("outbox");
            return;
        }

        w.WriteStartObject("outbox");
        try
        {
            var (pending, retrying, dead, letters) = (outbox.Pending(), outbox.Retrying(), outbox.DeadLetters(), outbox.RecentDeadLetters(DeadLetterLimit));
            w.WriteNumber("pending", pending);
            w.WriteNumber("retrying", retrying);
            w.WriteNumber("dead_letters", dead);
            w.WriteStartArray("recent_dead_letters");
            foreach (var d in letters)
            {
                w.WriteStartObject();
                w.WriteString("id", d.Id);
                w.WriteString("kind", d.Kind);
                RuleApi.Time(w, "failed_at", d.FailedAt);
                w.WriteNumber("attempts", d.Attempts);
                w.WriteString("reason", d.Error);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or Microsoft.Data.Sqlite.SqliteException)
        {
            // Stopping (the state file closed) or a damaged file: the page says so instead of failing.
            w.WriteString("error", $"the outbox cannot be read: {e.Message}");
        }

        w.WriteEndObject();
    }
}
