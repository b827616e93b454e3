using System.Text.Json.Nodes;
using MqttRules.Loading;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Samples;

/// <summary>The rules users start from (<c>rules/</c>) validate on a fresh machine and do what their comments say.</summary>
public class StarterRulesTests
{
    private static readonly string RulesDir = Path.Combine(RepoRoot.Path, "rules");

    [Fact]
    public void Validate_RulesFolderWithNoEnvironment_Ok()
    {
        var result = RuleLoader.Load(RulesDir, _ => null);
        Assert.True(result.Ok, string.Join(Environment.NewLine, result.Problems));
        Assert.EndsWith(": OK", result.Summary);
    }

    [Fact]
    public void Replay_FreezerAlert_FiresAfterForRepeatsAndClearsWithHysteresis()
    {
        var lines = Replay("alerts.yaml", """
            {"t": 0, "topic": "kitchen/freezer/temp", "payload": -5}
            {"t": 600, "topic": "kitchen/freezer/temp", "payload": -12}
            {"t": 2400, "topic": "kitchen/freezer/temp", "payload": -16}
            {"t": 4000, "topic": "kitchen/freezer/temp", "payload": -18}
            """);
        Assert.Equal(
            ["00:05:00 fire Freezer at -5 C for 5 min", "00:35:00 repeat Freezer at -12 C for 35 min", "00:40:00 resolve Freezer back to -16 C"],
            lines.Select(l => $"{((string)l["t"]!)[11..19]} {l["event"]} {l["message"]}"));
        Assert.All(lines, l => Assert.Equal("webhook", (string?)l["action"]));
        Assert.All(lines, l => Assert.Equal("ops-webhook", (string?)l["notifier"]));
    }

    [Fact]
    public void Replay_BathroomFan_OnAfterAMinuteOffBelowSixty()
    {
        var lines = Replay("switches.yaml", """
            {"t": 0, "topic": "home/bathroom/climate", "payload": {"humidity": 75, "temp": 22}}
            {"t": 30, "topic": "home/bathroom/climate", "payload": {"humidity": 80, "temp": 22}}
            {"t": 90, "topic": "home/bathroom/climate", "payload": {"humidity": 65, "temp": 22}}
            {"t": 120, "topic": "home/bathroom/climate", "payload": {"humidity": 55, "temp": 22}}
            """);
        Assert.Equal(
            ["00:01:00 fire switches/bathroom-fan/set ON True", "00:02:00 resolve switches/bathroom-fan/set OFF True"],
            lines.Select(l => $"{((string)l["t"]!)[11..19]} {l["event"]} {l["topic"]} {l["payload"]} {(bool)l["retain"]!}"));
    }

    [Fact]
    public void Replay_Fahrenheit_RepublishedInCelsius()
    {
        var lines = Replay("switches.yaml", """{"t": 0, "topic": "sensors/porch/temp_f", "payload": 50}""");
        var line = Assert.Single(lines);
        Assert.Equal("sensors/porch/temp_c", (string?)line["topic"]);
        Assert.Equal("10", (string?)line["payload"]);
    }

    private static List<JsonObject> Replay(string file, string input)
    {
        using var dir = new TempDir();
        var path = dir.Write("in.jsonl", input);
        var result = CliRunner.Run(["replay", path, "--rules", Path.Combine(RulesDir, file)]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result.Lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
    }
}
