using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MqttRules.Explaining;
using MqttRules.Loading;
using MqttRules.Replay;
using MqttRules.State;

namespace MqttRules.Tests.Explaining;

/// <summary><c>explain</c> on the replay clock: each decision says what the rule read and why the state machine did what it did.</summary>
public sealed class ExplainerTests
{
    private static readonly DateTimeOffset T0 = ReplayReader.DefaultStart;

    /// <summary>The JSON lines <c>explain --json</c> prints for messages at (seconds, topic, payload).</summary>
    internal static List<JsonElement> Explain(string yaml, IStateStore? state, params (double At, string Topic, string? Payload)[] messages)
    {
        var loaded = RuleLoader.LoadText(yaml);
        Assert.Empty(loaded.Problems);
        var output = new StringWriter();
        var settings = new ExplainSettings(NullLogger.Instance, TimeZoneInfo.Utc, 1000, Json: true, MqttRules.Hosting.EngineComposition.ForRules) { State = state };
        // A null payload stands for one that is not valid text (replay's bad payload line).
        var lines = messages.Select((m, i) => new ReplayLine(i + 1, T0.AddSeconds(m.At), m.Topic, m.Payload is null ? null : Encoding.UTF8.GetBytes(m.Payload)));
        new Explainer(loaded.Rules, output, settings).Run(lines, T0);
        return [.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    private static List<JsonElement> Explain(string yaml, params (double At, string Topic, string? Payload)[] messages) => Explain(yaml, null, messages);

    private static JsonElement Last(List<JsonElement> lines, string rule) => lines.Last(l => l.GetProperty("rule").GetString() == rule && l.TryGetProperty("reason", out _));

    private static string Reason(JsonElement d) => d.GetProperty("reason").GetString()!;

    [Fact]
    public void A_misspelt_field_shows_the_condition_undecided_and_the_field_missing()
    {
        const string yaml = """
            rules:
              - id: hot
                topic: "home/{room}/temp"
                when: temprature > 20
                actions: [{ log: hot }]
            """;
        var d = Last(Explain(yaml, (0, "home/kitchen/temp", """{"temperature": 25}""")), "hot");

        Assert.Equal("when_undecided", Reason(d));
        Assert.Equal("kitchen", d.GetProperty("captures").GetProperty("room").GetString());
        var when = d.GetProperty("conditions")[0];
        Assert.Equal(JsonValueKind.Null, when.GetProperty("result").ValueKind);
        Assert.Equal(JsonValueKind.Null, when.GetProperty("fields").GetProperty("temprature").ValueKind);
        Assert.Contains("neither true nor false", d.GetProperty("failure").GetString());
        Assert.Equal("none", d.GetProperty("event").GetString());
    }

    [Fact]
    public void A_missing_value_path_says_so()
    {
        const string yaml = """
            rules:
              - id: flow
                topic: meter/flow
                value: lpm
                when: value > 10
                actions: [{ log: flow }]
            """;
        var d = Last(Explain(yaml, (0, "meter/flow", """{"flow": 12}""")), "flow");

        Assert.Equal("value_missing", Reason(d));
        Assert.Contains("has no 'lpm'", d.GetProperty("failure").GetString());
    }

    [Fact]
    public void A_text_where_a_number_is_compared_shows_the_text_value()
    {
        const string yaml = """
            rules:
              - id: hot
                topic: room/temp
                when: t > 20
                actions: [{ log: hot }]
            """;
        var d = Last(Explain(yaml, (0, "room/temp", """{"t": "warm"}""")), "hot");

        Assert.Equal("when_undecided", Reason(d));
        Assert.Equal("warm", d.GetProperty("conditions")[0].GetProperty("fields").GetProperty("t").GetString());
        Assert.Equal("idle", d.GetProperty("phase_after").GetString());
    }

    [Fact]
    public void A_fire_inside_the_cooldown_is_held_back_until_it_ends()
    {
        const string yaml = """
            rules:
              - id: door
                topic: door
                when: state == 'open'
                cooldown: 10m
                actions: [{ log: open }]
            """;
        var lines = Explain(yaml, (0, "door", """{"state":"open"}"""), (60, "door", """{"state":"closed"}"""), (120, "door", """{"state":"open"}"""));
        var d = Last(lines, "door");

        Assert.Equal("held_by_cooldown", Reason(d));
        Assert.Equal("2026-01-01T00:10:00.000Z", d.GetProperty("until").GetString());
        Assert.Equal("held_back", d.GetProperty("phase_after").GetString());
        Assert.Equal("none", d.GetProperty("event").GetString());
    }

    [Fact]
    public void A_condition_held_for_less_than_for_is_pending_until_it_has_passed()
    {
        const string yaml = """
            rules:
              - id: leak
                topic: meter
                when: lpm > 5
                for: 5m
                actions: [{ log: leak }]
            """;
        var lines = Explain(yaml, (0, "meter", """{"lpm": 8}"""), (60, "meter", """{"lpm": 9}"""));

        var first = lines[0];
        Assert.Equal("held_by_for", Reason(first));
        Assert.Equal("idle", first.GetProperty("phase_before").GetString());
        Assert.Equal("pending", first.GetProperty("phase_after").GetString());
        Assert.Equal("2026-01-01T00:05:00.000Z", first.GetProperty("until").GetString());
        Assert.Equal(8, first.GetProperty("conditions")[0].GetProperty("fields").GetProperty("lpm").GetDouble());
        Assert.Equal("held_by_for", Reason(Last(lines, "leak")));
    }

    [Fact]
    public void A_firing_rule_whose_clear_is_not_met_stays_firing_by_hysteresis()
    {
        const string yaml = """
            rules:
              - id: hot
                topic: temp
                when: t > 30
                clear: t < 25
                actions: [{ log: hot }]
            """;
        var lines = Explain(yaml, (0, "temp", """{"t": 31}"""), (60, "temp", """{"t": 28}"""));

        Assert.Equal("fire", lines[0].GetProperty("event").GetString());
        var d = Last(lines, "hot");
        Assert.Equal("clear_not_met", Reason(d));
        var conditions = d.GetProperty("conditions");
        Assert.False(conditions[0].GetProperty("result").GetBoolean()); // when: 28 > 30
        Assert.Equal("clear", conditions[1].GetProperty("name").GetString());
        Assert.False(conditions[1].GetProperty("result").GetBoolean()); // clear: 28 < 25
        Assert.Equal("firing", d.GetProperty("phase_after").GetString());
    }

    [Fact]
    public void An_anomaly_rule_says_its_baseline_is_still_warming_up()
    {
        const string yaml = """
            rules:
              - id: odd
                topic: meter
                value: lpm
                anomaly: { method: zscore, window: 1h, threshold: 3, min_samples: 5 }
                actions: [{ log: odd }]
            """;
        var lines = Explain(yaml, (0, "meter", """{"lpm": 1000}"""));
        var d = Last(lines, "odd");

        Assert.Equal("anomaly_warming_up", Reason(d));
        Assert.False(d.GetProperty("anomaly").GetProperty("ready").GetBoolean());
        Assert.Equal(1000, d.GetProperty("value").GetDouble());
    }

    [Fact]
    public void Every_other_rule_says_its_filter_did_not_match()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/+
                when: value > 0
                actions: [{ log: a }]
              - id: b
                topic: b
                when: value > 0
                actions: [{ log: b }]
            """;
        var lines = Explain(yaml, (0, "a/1", "1"));

        Assert.Contains(lines, l => l.GetProperty("rule").GetString() == "a" && l.GetProperty("matched").GetBoolean());
        var b = Assert.Single(lines, l => l.GetProperty("rule").GetString() == "b");
        Assert.False(b.GetProperty("matched").GetBoolean());
        Assert.False(b.TryGetProperty("reason", out _));
    }

    [Fact]
    public void Starting_from_a_saved_state_explains_against_it()
    {
        const string yaml = """
            rules:
              - id: door
                topic: door
                when: state == 'open'
                cooldown: 1h
                actions: [{ log: open }]
            """;
        var store = new Anomaly.MemoryStateStore();
        store.SaveSeries([new SeriesSnapshot("door", "door", Phase.Idle, null, T0.AddMinutes(-10), null, T0.AddMinutes(-10), "door", null, null, null)]);
        var d = Last(Explain(yaml, store, (0, "door", """{"state":"open"}""")), "door");

        Assert.Equal("held_by_cooldown", Reason(d));
        Assert.Equal("2026-01-01T00:50:00.000Z", d.GetProperty("until").GetString());
    }

    [Fact]
    public void A_payload_that_cannot_be_read_is_said_to_every_rule_it_reached()
    {
        const string yaml = """
            rules:
              - id: hot
                topic: temp
                when: t > 30
                actions: [{ log: hot }]
            """;
        var d = Last(Explain(yaml, (0, "temp", (string?)null)), "hot");

        Assert.Equal("payload_unreadable", Reason(d));
        Assert.StartsWith("the payload could not be read", d.GetProperty("failure").GetString());
    }
}
