using System.Text.Json.Nodes;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Cli;

/// <summary><c>mqttrules replay</c>: actions as JSON lines on stdout, in order, on a virtual clock (SPEC §4, §5).</summary>
public class ReplayCommandTests
{
    private const string Freezer = """
        notifiers:
          ops:
            webhook:
              url: ${OPS_URL:-http://127.0.0.1:8080/hook}
              body: { text: "{{message}}" }
        rules:
          - id: freezer-warm
            topic: kitchen/freezer/temp
            when: value > -10
            clear: value < -15
            for: 5m
            actions:
              - notify: { to: ops, message: "Freezer at {{value}} C" }
            on_resolve:
              - log: "Freezer back at {{value}} C"
        """;

    private static JsonObject Json(string line) => JsonNode.Parse(line)!.AsObject();

    [Fact]
    public void Replay_NotifyAndResolve_PrintsSpecShape()
    {
        var result = CliRunner.Replay(Freezer, """
            {"t": 0, "topic": "kitchen/freezer/temp", "payload": -5}
            {"t": 600, "topic": "kitchen/freezer/temp", "payload": {"value": -20}}
            """);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.Lines.Count);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"t":"2026-01-01T00:05:00.000Z","rule":"freezer-warm","event":"fire","series":"kitchen/freezer/temp","action":"webhook","notifier":"ops","url":"http://127.0.0.1:8080/hook","method":"POST","body":{"text":"Freezer at -5 C"},"message":"Freezer at -5 C"}"""),
            JsonNode.Parse(result.Lines[0])), result.Lines[0]);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"t":"2026-01-01T00:10:00.000Z","rule":"freezer-warm","event":"resolve","series":"kitchen/freezer/temp","action":"log","message":"Freezer back at -20 C","level":"info"}"""),
            JsonNode.Parse(result.Lines[1])), result.Lines[1]);
    }

    [Fact]
    public void Replay_FieldOrder_TRuleEventSeriesActionFirst()
    {
        var result = CliRunner.Replay(Freezer, "{\"t\": 0, \"topic\": \"kitchen/freezer/temp\", \"payload\": -5}\n{\"t\": 300, \"topic\": \"x\"}\n");
        Assert.StartsWith("{\"t\":\"2026-01-01T00:05:00.000Z\",\"rule\":\"freezer-warm\",\"event\":\"fire\",\"series\":\"kitchen/freezer/temp\",\"action\":\"webhook\"", result.Lines[0]);
    }

    [Fact]
    public void Replay_ClockRunsOnToTheLastLine_TimersBetweenLinesFireAtTheirTime()
    {
        var result = CliRunner.Replay(Freezer, """
            {"t": 0, "topic": "kitchen/freezer/temp", "payload": -5}
            {"t": 3600, "topic": "other", "payload": 1}
            """);
        var line = Json(Assert.Single(result.Lines));
        Assert.Equal("2026-01-01T00:05:00.000Z", (string?)line["t"]);
    }

    [Fact]
    public void Replay_ClockStopsAtTheLastLine_LaterTimersDoNotRun()
    {
        var result = CliRunner.Replay(Freezer, """
            {"t": 0, "topic": "kitchen/freezer/temp", "payload": -5}
            {"t": 299, "topic": "other", "payload": 1}
            """);
        Assert.Empty(result.Lines);
    }

    [Fact]
    public void Replay_StartOption_NumericTimesFromThere()
    {
        var result = CliRunner.Replay(Freezer, "{\"t\": 0, \"topic\": \"kitchen/freezer/temp\", \"payload\": -5}\n{\"t\": 300, \"topic\": \"x\"}\n", "--start", "2030-06-01T12:00:00Z");
        Assert.Equal("2030-06-01T12:05:00.000Z", (string?)Json(result.Lines[0])["t"]);
    }

    [Fact]
    public void Replay_IsoTimes_Accepted()
    {
        var result = CliRunner.Replay(Freezer, """
            {"t": "2026-03-01T10:00:00Z", "topic": "kitchen/freezer/temp", "payload": "-5"}
            {"t": "2026-03-01T10:05:00.5Z", "topic": "x"}
            """);
        Assert.Equal("2026-03-01T10:05:00.000Z", (string?)Json(Assert.Single(result.Lines))["t"]);
    }

    [Fact]
    public void Replay_TimeGoingBackwards_Exit1NamingTheLineAndNoOutput()
    {
        var result = CliRunner.Replay(Freezer, """
            {"t": 0, "topic": "kitchen/freezer/temp", "payload": -5}

            {"t": 600, "topic": "x"}
            {"t": 500, "topic": "x"}
            """);
        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Contains(":4: ", result.Stderr);
        Assert.Contains("earlier", result.Stderr);
    }

    [Fact]
    public void Replay_LineNotAnObject_Exit1NamingTheLine()
    {
        var result = CliRunner.Replay(Freezer, "{\"t\": 0, \"topic\": \"a\"}\n[1]\n");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("in.jsonl:2: ", result.Stderr);
    }

    [Fact]
    public void Replay_BadPayload_SkippedAndReplayGoesOn()
    {
        var result = CliRunner.Replay(Freezer, """
            {"t": 0, "topic": "kitchen/freezer/temp", "payload_b64": "//79"}
            {"t": 1, "topic": "kitchen/freezer/temp", "payload": "x\ud800"}
            {"t": 2, "topic": "kitchen/freezer/temp", "payload": -5}
            {"t": 400, "topic": "x"}
            """);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("2026-01-01T00:05:02.000Z", (string?)Json(Assert.Single(result.Lines))["t"]);
    }

    [Fact]
    public void Replay_BlankLinesAndCrLf_Skipped()
    {
        var result = CliRunner.Replay(Freezer, "\r\n{\"t\": 0, \"topic\": \"kitchen/freezer/temp\", \"payload\": -5}\r\n\r\n{\"t\": 300, \"topic\": \"x\"}\r\n\r\n");
        Assert.Equal(0, result.ExitCode);
        Assert.Single(result.Lines);
    }

    [Fact]
    public void Replay_ScheduleEvent_SeriesIsNull()
    {
        var result = CliRunner.Replay("""
            rules:
              - id: porch
                schedule: "0 30 18 * * ?"
                actions: [ { publish: { topic: switches/porch/set, payload: "ON", retain: true } } ]
            """, "{\"t\": 0, \"topic\": \"x\"}\n{\"t\": 86400, \"topic\": \"x\"}\n");
        var line = Json(Assert.Single(result.Lines));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"t":"2026-01-01T18:30:00.000Z","rule":"porch","event":"schedule","series":null,"action":"publish","topic":"switches/porch/set","payload":"ON","qos":0,"retain":true}"""),
            line), line.ToJsonString());
        Assert.True(line.ContainsKey("series"));
    }

    [Fact]
    public void Replay_AllActionKinds_PrintTheirRenderedFields()
    {
        var result = CliRunner.Replay("""
            rules:
              - id: all
                topic: "home/{room}/t"
                each_message: true
                actions:
                  - publish: { topic: "out/{{room}}", payload: { t: "{{value}}" }, qos: 2 }
                  - tweet: "{{room}} is {{value}}"
                  - webhook: { url: "https://hooks.example/{{room}}", method: PUT, body: "t={{value}}" }
                  - email: { to: [a@example.com, b@example.com], subject: "{{room}}", body: "t {{value}}" }
                  - email: { to: c@example.com, body: x }
                  - log: { message: "{{room}} {{value}}", level: debug }
            """, "{\"t\": 0, \"topic\": \"home/den/t\", \"payload\": 20.5}\n");
        string[] expected =
        [
            """{"t":"2026-01-01T00:00:00.000Z","rule":"all","event":"message","series":"home/den/t","action":"publish","topic":"out/den","payload":{"t":20.5},"qos":2,"retain":false}""",
            """{"t":"2026-01-01T00:00:00.000Z","rule":"all","event":"message","series":"home/den/t","action":"tweet","text":"den is 20.5"}""",
            """{"t":"2026-01-01T00:00:00.000Z","rule":"all","event":"message","series":"home/den/t","action":"webhook","url":"https://hooks.example/den","method":"PUT","body":"t=20.5"}""",
            """{"t":"2026-01-01T00:00:00.000Z","rule":"all","event":"message","series":"home/den/t","action":"email","to":["a@example.com","b@example.com"],"subject":"den","body":"t 20.5"}""",
            """{"t":"2026-01-01T00:00:00.000Z","rule":"all","event":"message","series":"home/den/t","action":"email","to":"c@example.com","subject":"MqttRules alert","body":"x"}""",
            """{"t":"2026-01-01T00:00:00.000Z","rule":"all","event":"message","series":"home/den/t","action":"log","message":"den 20.5","level":"debug"}""",
        ];
        Assert.Equal(expected.Length, result.Lines.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected[i]), JsonNode.Parse(result.Lines[i])), result.Lines[i]);
        }
    }

    [Fact]
    public void Replay_UnsetVariable_Exit1SameMessageAsValidate()
    {
        var result = CliRunner.Replay("""
            rules:
              - id: a
                topic: a
                when: true
                actions: [ { webhook: { url: "${HOOK_NEVER_SET_X}" } } ]
            """, "{\"t\": 0, \"topic\": \"a\"}\n");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("environment variable HOOK_NEVER_SET_X is not set", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void Replay_MissingFile_Exit1()
    {
        var result = CliRunner.Run(["replay", "/no/such/in.jsonl", "--rules", "/no/such/rules"]);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void Replay_EmptyInput_NoOutputExit0()
    {
        var result = CliRunner.Replay(Freezer, "");
        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void Replay_TimezoneOption_DefaultZoneOfRulesWithout()
    {
        var result = CliRunner.Replay("""
            rules:
              - id: evening
                schedule: "30 18 * * *"
                actions: [ { log: "evening {{hour()}}" } ]
            """, "{\"t\": 0, \"topic\": \"x\"}\n{\"t\": 86400, \"topic\": \"x\"}\n", "--timezone", "Asia/Tokyo");
        var line = Json(Assert.Single(result.Lines));
        Assert.Equal("2026-01-01T09:30:00.000Z", (string?)line["t"]);
        Assert.Equal("evening 18", (string?)line["message"]);
    }

    [Fact]
    public void Replay_TimezoneFromEnvironment_Used()
    {
        using var dir = new TempDir();
        var rules = dir.Write("r.yaml", "rules:\n  - id: e\n    schedule: \"30 18 * * *\"\n    actions: [ { log: x } ]\n");
        var input = dir.Write("in.jsonl", "{\"t\": 0, \"topic\": \"x\"}\n{\"t\": 86400, \"topic\": \"x\"}\n");
        var result = CliRunner.Run(["replay", input, "--rules", rules], name => name == "MQTTRULES_TIMEZONE" ? "America/New_York" : null);
        Assert.Equal("2026-01-01T23:30:00.000Z", (string?)Json(Assert.Single(result.Lines))["t"]);
    }

    [Fact]
    public void Replay_BadStart_UsageError()
    {
        Assert.Throws<MqttRules.Cli.UsageException>(() => CliRunner.Replay(Freezer, "", "--start", "yesterday"));
    }

    [Fact]
    public void Replay_TwoFiles_UsageError()
    {
        Assert.Throws<MqttRules.Cli.UsageException>(() => CliRunner.Run(["replay", "a.jsonl", "b.jsonl"]));
    }
}
