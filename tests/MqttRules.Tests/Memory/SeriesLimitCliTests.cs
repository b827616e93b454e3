using MqttRules.Tests.Support;

namespace MqttRules.Tests.Memory;

/// <summary>MQTTRULES_MAX_SERIES as replay reads it (run reads it the same way).</summary>
public sealed class SeriesLimitCliTests
{
    private const string Rules = """
        rules:
          - id: water
            topic: home/{meter}/water
            when: lpm > 30
            actions:
              - log: "{{meter}} high"
        """;

    [Fact]
    public void Replay_with_a_bad_limit_exits_1_naming_the_variable()
    {
        using var dir = new TempDir();
        var rules = dir.Write("rules.yaml", Rules);
        var input = dir.Write("in.jsonl", """{"t": "2026-01-01T00:00:00Z", "topic": "home/a/water", "payload": {"lpm": 45}}""" + "\n");

        var outcome = CliRunner.Run(["replay", input, "--rules", rules], n => n == "MQTTRULES_MAX_SERIES" ? "none" : null);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("MQTTRULES_MAX_SERIES: must be a whole number", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_honours_the_limit_a_firing_series_keeps_its_place_an_idle_one_gives_it_up()
    {
        using var dir = new TempDir();
        var rules = dir.Write("rules.yaml", Rules);
        var input = dir.Write("in.jsonl", """
            {"t": "2026-01-01T00:00:00Z", "topic": "home/a/water", "payload": {"lpm": 45}}
            {"t": "2026-01-01T00:00:01Z", "topic": "home/b/water", "payload": {"lpm": 45}}
            {"t": "2026-01-01T00:00:02Z", "topic": "home/a/water", "payload": {"lpm": 5}}
            {"t": "2026-01-01T00:00:03Z", "topic": "home/c/water", "payload": {"lpm": 45}}
            {"t": "2026-01-01T00:00:04Z", "topic": "home/d/water", "payload": {"lpm": 45}}
            """ + "\n");

        var limited = CliRunner.Run(["replay", input, "--rules", rules], n => n == "MQTTRULES_MAX_SERIES" ? "1" : null);

        Assert.Equal(0, limited.ExitCode);
        // b is refused (a fires); c too, without another scan (a tenth of the limit, at least one,
        // is refused cheaply after a scan found nothing); d takes the place of a, idle again.
        Assert.Equal(["a high", "d high"], limited.Lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("message").GetString()));
    }
}
