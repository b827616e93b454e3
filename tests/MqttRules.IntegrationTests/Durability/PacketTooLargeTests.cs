using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Durability;

/// <summary>
/// Issue 10 (4a): a publish larger than the broker's maximum packet size (MQTT 5 CONNACK) is refused
/// before sending and dead-lettered once; the broker never drops the connection for it, and it is not
/// sent again after reconnects.
/// </summary>
public sealed class PacketTooLargeTests
{
    private const string Rules = """
        rules:
          - id: echo
            topic: in/{dev}
            when: payload != ''
            each_message: true
            actions:
              - publish: { topic: "out/{{dev}}", payload: "{{payload}}{{payload}}", qos: 1 }
        """;

    [Fact]
    public async Task Run_PublishOverTheBrokersMaximumPacketSize_IsDeadLetteredOnce_AndLaterMessagesFlow()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir, "max_packet_size 3000");
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "out/#", "-q", "1");
        await using (var engine = MqttRulesCli.Start(dir, Rules, MqttRulesCli.Url(broker.Port)))
        {
            await engine.WaitForStderrAsync("Subscribed to");
            await MosquittoClients.PublishAsync(broker.Port, "in/big", new string('x', 2000), qos: 1);
            await MosquittoClients.PublishAsync(broker.Port, "in/small", "hello", qos: 1);
            await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Count >= 1, "the small echo\n" + engine.AllOutput);
            await engine.WaitForStderrAsync("dead-lettered");
            await MosquittoClients.PublishAsync(broker.Port, "in/after", "again", qos: 1);
            await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Count >= 2, "the echo after\n" + engine.AllOutput);
            engine.Terminate();
            Assert.Equal(0, await engine.WaitForExitAsync(TimeSpan.FromSeconds(15)));
            Assert.Equal(1, engine.CountStderr("dead-lettered"));
            Assert.Equal(0, engine.CountStderr("in use by another connection"));
            Assert.Equal(0, engine.CountStderr("Lost the connection"));
        }

        Assert.Equal(["out/small hellohello", "out/after againagain"], MosquittoClients.Messages(sub));
        Assert.Equal(1, StateFile.Count(dir, "dead_letter", "kind = 'publish' AND error LIKE '%maximum packet size of 3000 bytes%'"));
        Assert.Equal(0, StateFile.Count(dir, "publish_journal"));
    }
}
