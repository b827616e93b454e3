using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Embedded;

/// <summary>
/// The default <c>--broker embedded</c>: devices talk to the broker inside mqttrules. MQTTnet's
/// broker refuses MQTT 3.1.1 clients without a client id, so the peers send one (or use MQTT 5).
/// </summary>
public sealed class EmbeddedBrokerTests
{
    [Fact]
    public async Task Run_Embedded_DevicesConnectAndRuleAutomates()
    {
        using var dir = new TempDir();
        var port = Ports.Free();
        var env = new Dictionary<string, string?> { ["MQTTRULES_EMBEDDED_LISTEN"] = $"127.0.0.1:{port}" };
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, "embedded", env);
        await engine.WaitForStderrAsync("Subscribed to");
        await using var sub = await MosquittoClients.SubscribeAsync(port, "pumps/#", "-V", "5");

        await MosquittoClients.PublishAsync(port, "tank/e/level", "64", 1, false, "-i", "meter-e");

        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/e/set ON 64"), "switch command via the embedded broker\n" + engine.AllOutput);
    }

    [Fact]
    public async Task Run_EmbeddedWithLogin_RefusesAnonymousDevices()
    {
        using var dir = new TempDir();
        var port = Ports.Free();
        var env = new Dictionary<string, string?>
        {
            ["MQTTRULES_EMBEDDED_LISTEN"] = $"127.0.0.1:{port}",
            ["MQTTRULES_EMBEDDED_USERNAME"] = "house",
            ["MQTTRULES_EMBEDDED_PASSWORD"] = "pw",
        };
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, "embedded", env);
        await engine.WaitForStderrAsync("Subscribed to");

        await using var anonymous = ChildProcess.Start("/usr/bin/mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{port}", "-t", "tank/x/level", "-m", "50", "-V", "5"]);
        Assert.NotEqual(0, await anonymous.WaitForExitAsync(TimeSpan.FromSeconds(10)));

        await using var sub = await MosquittoClients.SubscribeAsync(port, "pumps/#", "-u", "house", "-P", "pw", "-V", "5");
        await MosquittoClients.PublishAsync(port, "tank/x/level", "51", 0, false, "-u", "house", "-P", "pw", "-i", "meter-x");
        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/x/set ON 51"), "switch command\n" + engine.AllOutput);
    }

    [Fact]
    public async Task Run_Demo_FiresTheWaterRuleAndClosesTheValve()
    {
        using var dir = new TempDir();
        var port = Ports.Free();
        var env = new Dictionary<string, string?> { ["MQTTRULES_EMBEDDED_LISTEN"] = $"127.0.0.1:{port}" };
        await using var engine = MqttRulesCli.StartCommand(dir, "run", null, "embedded", env, "--demo", "--rules", Path.Combine(dir.Path, "none"));

        await engine.WaitForStderrAsync("water-burst fired for home/main/water → publish valves/main/set \"CLOSE\"", timeout: TimeSpan.FromSeconds(60));
        await engine.WaitForStderrAsync("water-burst fired for home/main/water → tweet \"Water at main:");
        await engine.WaitForStderrAsync("Demo: the valve is closed");
        engine.Terminate();
        Assert.Equal(0, await engine.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }
}
