using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Live;

/// <summary>
/// Issue 12: received publishes are taken from the MQTT receive loop directly and acknowledged by
/// the engine itself: PUBACK at QoS 1, PUBREC at QoS 2 (the client then completes the PUBREL /
/// PUBCOMP exchange). mosquitto keeps at most 20 QoS 2 messages in flight to a client, so a
/// burst far larger than that only gets through when every exchange completes.
/// </summary>
public sealed class QosTwoIntakeTests
{
    [Fact]
    public async Task Run_SubscribedAtQos2_ABurstIsEvaluatedWhole_EveryExchangeCompletes()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var http = "127.0.0.1:" + Ports.Free();
        var env = new Dictionary<string, string?> { ["MQTTRULES_LOG_LEVEL"] = "warning", ["MQTTRULES_SUBSCRIBE_QOS"] = "2" };
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, MqttRulesCli.Url(broker.Port), env, "--http", http);
        await Poll.UntilAsync(async () => (await ReconnectTests.Metrics(http)).Contains("mqttrules_broker_connected 1", StringComparison.Ordinal), "start\n" + engine.AllOutput);
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "pumps/#", "-q", "1");

        // 500 readings; every 100th is above the threshold and switches the pump.
        const int readings = 500;
        var lines = dir.Write("burst.txt", string.Join("\n", Enumerable.Range(1, readings).Select(i => i % 100 == 0 ? 30 + (i / 100) : i % 30)) + "\n");
        await using (var pub = ChildProcess.Start("/bin/sh", ["-c", $"/usr/bin/mosquitto_pub -h 127.0.0.1 -p {broker.Port} -q 2 -t tank/t1/level -l < {lines}"]))
        {
            Assert.Equal(0, await pub.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        await Poll.UntilAsync(
            async () => (await ReconnectTests.Metrics(http)).Contains($"mqttrules_messages_total {readings}\n", StringComparison.Ordinal),
            $"all {readings} messages evaluated\n" + engine.AllOutput);
        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Count >= 5, "5 commands\n" + engine.AllOutput);
        Assert.Equal(Enumerable.Range(1, 5).Select(k => $"pumps/t1/set ON {30 + k}"), MosquittoClients.Messages(sub));
    }
}
