using System.Text.Json;
using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Logs;

/// <summary>Issue 14.5: <c>run --log-format json</c> as a log shipper (Loki, ELK) reads it from the process.</summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task Run_LogFormatJson_EveryStderrLineIsJsonStartingWithTheSummary()
    {
        using var dir = new TempDir();
        var port = Ports.Free();
        var env = new Dictionary<string, string?>
        {
            ["MQTTRULES_EMBEDDED_LISTEN"] = $"127.0.0.1:{port}",
            ["MQTTRULES_EMBEDDED_USERNAME"] = "house",
            ["MQTTRULES_EMBEDDED_PASSWORD"] = "pw-hunter2",
            ["MQTTRULES_CLIENT_ID"] = "it-json-logs",
        };
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, "embedded", env, "--log-format", "json");
        await engine.WaitForStderrAsync("Subscribed to");
        engine.Terminate();
        Assert.Equal(0, await engine.WaitForExitAsync(TimeSpan.FromSeconds(10)));

        var lines = engine.Stderr.Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var summary = lines[0];
        Assert.Equal(800, summary.GetProperty("event_id").GetInt32());
        Assert.Equal("info", summary.GetProperty("level").GetString());
        Assert.StartsWith("mqttrules ", summary.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$", summary.GetProperty("timestamp").GetString());
        Assert.Equal(1, summary.GetProperty("Rules").GetInt32());
        Assert.Equal(1, summary.GetProperty("Files").GetInt32());
        Assert.Equal($"embedded broker (127.0.0.1:{port})", summary.GetProperty("Broker").GetString());
        Assert.Equal("it-json-logs", summary.GetProperty("ClientId").GetString());
        Assert.Equal("MQTT 5", summary.GetProperty("Protocol").GetString());
        Assert.Equal(Path.Combine(dir.Path, "state.db"), summary.GetProperty("StatePath").GetString());
        Assert.False(summary.GetProperty("DryRun").GetBoolean());
        Assert.Contains(lines, l => l.GetProperty("message").GetString() == "Stopping");
        Assert.All(lines, l => Assert.False(string.IsNullOrEmpty(l.GetProperty("category").GetString())));
        Assert.DoesNotContain("hunter2", engine.AllOutput, StringComparison.Ordinal);
    }
}
