using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Live;

public sealed class ReconnectTests
{
    [Fact]
    public async Task Run_BrokerRestarted_EngineReconnectsAndCarriesOn()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, MqttRulesCli.Url(broker.Port), null, "--http", "127.0.0.1:" + Ports.Free());
        await engine.WaitForStderrAsync("Subscribed to");

        await broker.StopAsync();
        await engine.WaitForStderrAsync("Lost the connection");
        await broker.RestartAsync();
        await engine.WaitForStderrAsync("Subscribed to", count: 2);

        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "pumps/#");
        await MosquittoClients.PublishAsync(broker.Port, "tank/t3/level", "99", qos: 1);
        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/t3/set ON 99"), "the switch command after the restart\n" + engine.AllOutput);
    }

    [Fact]
    public async Task Run_EngineAway_QueuedQos1MessagesArriveAfterRestart()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var env = new Dictionary<string, string?> { ["MQTTRULES_CLIENT_ID"] = "it-persistent-" + Guid.NewGuid().ToString("N")[..6] };
        await using (var first = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, MqttRulesCli.Url(broker.Port), env))
        {
            await first.WaitForStderrAsync("Subscribed to");
            first.Terminate();
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        }

        for (var i = 1; i <= 5; i++)
        {
            await MosquittoClients.PublishAsync(broker.Port, $"tank/q{i}/level", $"{40 + i}", qos: 1);
        }

        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "pumps/#");
        await using var second = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, MqttRulesCli.Url(broker.Port), env);
        await second.WaitForStderrAsync("session resumed");

        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Count >= 5, "5 commands for messages sent while away\n" + second.AllOutput);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"pumps/q{i}/set ON {40 + i}"), MosquittoClients.Messages(sub).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Run_Mqtt311_PersistentSessionToo()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var env = new Dictionary<string, string?>
        {
            ["MQTTRULES_CLIENT_ID"] = "it-v311-" + Guid.NewGuid().ToString("N")[..6],
            ["MQTTRULES_PROTOCOL"] = "3.1.1",
        };
        await using (var first = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, MqttRulesCli.Url(broker.Port), env))
        {
            await first.WaitForStderrAsync("Subscribed to");
            first.Terminate();
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        }

        await MosquittoClients.PublishAsync(broker.Port, "tank/v/level", "77", qos: 1);
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "pumps/#");
        await using var second = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, MqttRulesCli.Url(broker.Port), env);

        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/v/set ON 77"), "command for the message sent while away\n" + second.AllOutput);
        Assert.Contains(second.Stderr, l => l.Contains("MQTT 3.1.1, session resumed", StringComparison.Ordinal));
    }
}
