using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Live;

/// <summary>What the operator is told when the connection is not what it should be.</summary>
public sealed class OperatorMessageTests
{
    [Fact]
    public async Task MqttsAgainstAPlainListener_WarningHintsAtTls()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, "mqtts://127.0.0.1:" + broker.Port);

        await engine.WaitForStderrAsync("unreachable");

        Assert.False(engine.HasExited, engine.AllOutput);
        Assert.Contains(engine.Stderr, l => l.Contains("TLS listener", StringComparison.Ordinal) && l.Contains("mqtt://", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EmbeddedBroker_MosquittoPubWithoutAnyFlag_IsAccepted()
    {
        using var dir = new TempDir();
        var port = Ports.Free();
        var env = new Dictionary<string, string?> { ["MQTTRULES_EMBEDDED_LISTEN"] = $"127.0.0.1:{port}" };
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, "embedded", env);
        await engine.WaitForStderrAsync("Connected to");

        // MQTT 3.1.1, an empty client id and a clean session: what mosquitto_pub sends by default
        await using (var pub = ChildProcess.Start("/usr/bin/mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{port}", "-t", "tank/e/level", "-m", "44"]))
        {
            Assert.Equal(0, await pub.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        }

        await engine.WaitForStderrAsync("pump-on matched for tank/e/level");
    }
}
