using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MqttRules.Engine;
using MqttRules.Explaining;
using MqttRules.Replay;

namespace MqttRules.Hosting;

/// <summary>
/// <c>GET /api/rules</c> (every rule with its series, copied by the engine thread on request) and
/// <c>GET /api/rules/{id}/decisions</c> (the rule's last decisions from the <see cref="DecisionTrace"/>).
/// The HTTP threads never read engine state themselves.
/// </summary>
internal sealed class RuleApi(EngineLoop loop, DecisionTrace trace, TimeProvider clock)
{
    /// <summary>How long a request waits for the engine thread (busy with a large batch, or not started yet).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public void Map(WebApplication app)
    {
        app.MapGet("/api/rules", async (CancellationToken ct) =>
        {
            try
            {
                return Results.Text(RulesJson(await StatusAsync(ct)), "application/json");
            }
            catch (TimeoutException)
            {
                return Results.Text("""{"error":"the engine did not answer in time"}""", "application/json", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        app.MapGet("/api/rules/{id}/decisions", (string id) => trace.Recent(id) is { } decisions
            ? Results.Text(DecisionsJson(id, decisions), "application/json")
            : Results.Text(Json(w => w.WriteString("error", $"no rule '{id}'")), "application/json", statusCode: StatusCodes.Status404NotFound));
    }

    /// <summary>The rules' state, copied on the engine thread between two batches.</summary>
    public Task<IReadOnlyList<RuleStatus>> StatusAsync(CancellationToken ct)
    {
        var answer = new TaskCompletionSource<IReadOnlyList<RuleStatus>>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(engine =>
        {
            try
            {
                answer.TrySetResult(engine.Status());
            }
            catch (Exception ex)
            {
                answer.TrySetException(ex);
            }
        });
        return answer.Task.WaitAsync(Timeout, clock, ct);
    }

    internal static string RulesJson(IReadOnlyList<RuleStatus> rules) => Json(w =>
    {
        w.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            w.WriteStartObject();
            w.WriteString("id", rule.RuleId);
            w.WriteBoolean("evaluated", rule.Evaluated);
            w.WriteBoolean("enabled", rule.Enabled);
            Time(w, "muted_until", rule.MutedUntil);
            w.WriteNumber("series_count", rule.SeriesCount);
            w.WriteStartArray("series");
            foreach (var s in rule.Series)
            {
                WriteSeries(w, s);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    private static void WriteSeries(Utf8JsonWriter w, SeriesStatus s)
    {
        w.WriteStartObject();
        w.WriteString("series", s.Series);
        w.WriteString("phase", s.Phase);
        Time(w, "pending_since", s.Phase == "pending" ? s.Since : null);
        Time(w, "pending_until", s.Phase == "pending" ? s.Due : null);
        Time(w, "cooldown_until", s.Phase == "held_back" ? s.Due : null);
        Time(w, "firing_since", s.Phase == "firing" ? s.Since : null);
        w.WritePropertyName("last_value");
        DecisionJson.WriteValue(w, s.LastValue);
        Time(w, "last_seen", s.LastSeen);
        Number(w, "baseline_mean", s.Mean);
        Number(w, "baseline_stddev", s.Stddev);
        Time(w, "last_fire", s.LastFire);
        w.WriteBoolean("acknowledged", s.Acknowledged);
        w.WriteBoolean("flapping", s.FlappingSince is not null);
        Time(w, "flapping_since", s.FlappingSince);
        w.WriteEndObject();
    }

    internal static string DecisionsJson(string id, IReadOnlyList<RuleDecision> decisions) => Json(w =>
    {
        w.WriteString("rule", id);
        w.WriteStartArray("decisions");
        foreach (var d in decisions)
        {
            DecisionJson.Write(w, d);
        }

        w.WriteEndArray();
    });

    internal static void Time(Utf8JsonWriter w, string name, DateTimeOffset? t) => w.WriteString(name, t is { } v ? ReplayReader.Format(v) : null);

    internal static void Number(Utf8JsonWriter w, string name, double? x)
    {
        if (x is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    internal static string Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
