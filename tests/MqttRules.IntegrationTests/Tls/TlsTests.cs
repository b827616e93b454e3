using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Tls;

/// <summary>mosquitto with a plain listener (for the peers) and a TLS listener (for the engine).</summary>
public sealed class TlsTests(Certificates certs) : IClassFixture<Certificates>
{
    [Fact]
    public async Task Run_TlsWithTrustedCa_ConnectsAndAutomates()
    {
        using var dir = new TempDir();
        var tlsPort = Ports.Free();
        await using var broker = await Mosquitto.StartAsync(dir, certs.ListenerConfig(tlsPort));
        var env = new Dictionary<string, string?> { ["MQTTRULES_CA_FILE"] = certs.CaFile };
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, $"mqtts://localhost:{tlsPort}", env);
        await engine.WaitForStderrAsync("Subscribed to");
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "pumps/#");

        await MosquittoClients.PublishAsync(broker.Port, "tank/tls/level", "31");

        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/tls/set ON 31"), "switch command over TLS\n" + engine.AllOutput);
    }

    [Fact]
    public async Task Run_MutualTls_ClientCertificateFromPemFiles()
    {
        using var dir = new TempDir();
        var tlsPort = Ports.Free();
        await using var broker = await Mosquitto.StartAsync(dir, certs.ListenerConfig(tlsPort, requireClientCertificate: true));
        var env = new Dictionary<string, string?>
        {
            ["MQTTRULES_CA_FILE"] = certs.CaFile,
            ["MQTTRULES_CERT_FILE"] = certs.ClientCertFile,
            ["MQTTRULES_KEY_FILE"] = certs.ClientKeyFile,
        };
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, $"mqtts://127.0.0.1:{tlsPort}", env);
        await engine.WaitForStderrAsync("Subscribed to");
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "pumps/#");

        await MosquittoClients.PublishAsync(broker.Port, "tank/mtls/level", "33");

        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/mtls/set ON 33"), "switch command over mutual TLS\n" + engine.AllOutput);
    }

    [Fact]
    public async Task Run_UntrustedCertificate_ExitsOneMentioningCertificate()
    {
        using var dir = new TempDir();
        var tlsPort = Ports.Free();
        await using var broker = await Mosquitto.StartAsync(dir, certs.ListenerConfig(tlsPort));
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, $"mqtts://127.0.0.1:{tlsPort}");

        Assert.Equal(1, await engine.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.Contains(engine.Stderr, l => l.Contains("certificate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_UntrustedCertificateButInsecure_Connects()
    {
        using var dir = new TempDir();
        var tlsPort = Ports.Free();
        await using var broker = await Mosquitto.StartAsync(dir, certs.ListenerConfig(tlsPort));
        var env = new Dictionary<string, string?> { ["MQTTRULES_TLS_INSECURE"] = "true" };
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, $"mqtts://127.0.0.1:{tlsPort}", env);

        await engine.WaitForStderrAsync("Subscribed to");
    }
}
