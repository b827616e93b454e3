using System.Security.Cryptography;
using System.Text.Json;
using MqttRules.State;
using MqttRules.Storage;
using MqttRules.Tests.Support;
using MqttRules.TestSupport;

namespace MqttRules.Tests.Cli;

public sealed class ExplainCommandTests
{
    private const string Rules = """
        rules:
          - id: hot
            topic: "home/{room}/temp"
            when: t > 20
            cooldown: 1h
            actions: [{ log: "{{room}} is hot" }]
          - id: door
            topic: home/door
            when: state == 'open'
            actions: [{ log: open }]
        """;

    [Fact]
    public async Task Explain_OneMessage_SaysForEveryRuleWhatMatchedAndWhy()
    {
        using var dir = new TempDir();
        var rules = dir.Write("rules.yaml", Rules);

        var result = await CliRunner.MainAsync(["explain", "--rules", rules, "--topic", "home/kitchen/temp", "--payload", """{"t": 25}"""]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("hot: matched (room=kitchen)", result.Stdout);
        Assert.Contains("when: t > 20 -> true   (t = 25)", result.Stdout);
        Assert.Contains("idle -> firing: the condition holds and nothing holds it back: the rule fires [fire]", result.Stdout);
        Assert.Contains("door: filter home/door did not match", result.Stdout);
        Assert.Contains("""=> {"t":"2026-01-01T00:00:00.000Z","rule":"hot","event":"fire",""", result.Stdout);
    }

    [Fact]
    public async Task Explain_Json_OneObjectPerRule()
    {
        using var dir = new TempDir();
        var rules = dir.Write("rules.yaml", Rules);

        var result = await CliRunner.MainAsync(["explain", "--rules", rules, "--topic", "home/door", "--payload", """{"state": "shut"}""", "--json"]);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        Assert.False(lines.Single(l => l.GetProperty("rule").GetString() == "hot").GetProperty("matched").GetBoolean());
        var door = lines.Single(l => l.GetProperty("rule").GetString() == "door");
        Assert.Equal("condition_false", door.GetProperty("reason").GetString());
        Assert.Equal("shut", door.GetProperty("conditions")[0].GetProperty("fields").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Explain_Input_ExplainsEachMessage()
    {
        using var dir = new TempDir();
        var rules = dir.Write("rules.yaml", Rules);
        var input = dir.Write("in.jsonl", """
            {"t": 0, "topic": "home/a/temp", "payload": {"t": 30}}
            {"t": 60, "topic": "home/a/temp", "payload": {"t": 10}}
            {"t": 120, "topic": "home/a/temp", "payload": {"t": 30}}
            """);

        var result = await CliRunner.MainAsync(["explain", "--rules", rules, "--input", input]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("2026-01-01T00:02:00.000Z home/a/temp", result.Stdout);
        Assert.Contains("idle -> held_back: a fire is held back by 'cooldown' until 2026-01-01T01:00:00.000Z", result.Stdout);
    }

    [Fact]
    public async Task Explain_NeitherMessageNorInput_Exit1Saying()
    {
        using var dir = new TempDir();
        var rules = dir.Write("rules.yaml", Rules);

        var result = await CliRunner.MainAsync(["explain", "--rules", rules]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("explain takes a message (--topic T --payload P) or a recording (--input FILE.jsonl)", result.Stderr);
    }

    [Fact]
    public async Task Explain_State_StartsFromTheLiveStateAndLeavesTheFileAlone()
    {
        using var dir = new TempDir();
        var rules = dir.Write("rules.yaml", Rules);
        var statePath = dir.FilePath("state.db");
        var fired = new DateTimeOffset(2026, 3, 1, 11, 30, 0, TimeSpan.Zero);
        using (var db = StateDatabase.Open(statePath))
        {
            new SqliteStateStore(db).SaveSeries([new SeriesSnapshot("hot", "home/kitchen/temp", Phase.Firing, fired, fired, null, fired, "home/kitchen/temp", """{"t":25}"""u8.ToArray(), ["kitchen"], null)]);
        }

        var before = SHA256.HashData(File.ReadAllBytes(statePath));

        var result = await CliRunner.MainAsync(["explain", "--rules", rules, "--state", statePath, "--start", "2026-03-01T12:00:00Z",
            "--topic", "home/kitchen/temp", "--payload", """{"t": 26}""", "--json"]);

        Assert.Equal(0, result.ExitCode);
        var hot = result.Lines.Select(l => JsonDocument.Parse(l).RootElement).Single(l => l.GetProperty("rule").GetString() == "hot" && l.GetProperty("trigger").GetString() == "message");
        Assert.Equal("firing", hot.GetProperty("phase_before").GetString());
        Assert.Equal("still_holds", hot.GetProperty("reason").GetString());
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(statePath)));
    }

    [Fact]
    public void Replay_Explain_AddsDecisionLinesBeforeTheActionsAndChangesNothingElse()
    {
        const string input = """
            {"t": 0, "topic": "home/a/temp", "payload": {"t": 30}}
            {"t": 60, "topic": "home/door", "payload": {"state": "open"}}
            """;
        var plain = CliRunner.Replay(Rules, input);
        var explained = CliRunner.Replay(Rules, input, "--explain");

        Assert.Equal(0, explained.ExitCode);
        var lines = explained.Lines;
        Assert.Equal(plain.Lines, lines.Where(l => !l.StartsWith("{\"explain\":", StringComparison.Ordinal)));
        Assert.StartsWith("{\"explain\":{\"t\":\"2026-01-01T00:00:00.000Z\",\"rule\":\"hot\"", lines[0]);
        Assert.Contains("\"event\":\"fire\"", lines[0]);
        Assert.StartsWith("{\"t\":\"2026-01-01T00:00:00.000Z\",\"rule\":\"hot\",\"event\":\"fire\"", lines[1]);
        Assert.DoesNotContain(plain.Lines, l => l.Contains("explain", StringComparison.Ordinal));
    }
}
