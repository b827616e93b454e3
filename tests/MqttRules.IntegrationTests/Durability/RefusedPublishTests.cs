using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Durability;

/// <summary>Issue 10.4: a publish the broker refuses (MQTT 5 PUBACK reason ≥ 0x80) goes to the dead letters with the reason, once, and never blocks the others.</summary>
public sealed class RefusedPublishTests
{
    private const string Rules = """
        rules:
          - id: pump-on
            topic: tank/{tank}/level
            when: value > 30
            each_message: true
            actions:
              - publish: { topic: "forbidden/{{tank}}", payload: "ON", qos: 1 }
              - publish: { topic: "pumps/{{tank}}/set", payload: "ON {{value}}", qos: 1 }
        """;

    [Fact]
    public async Task Run_PublishNotAuthorized_IsDeadLetteredOnce_AndTheNextPublishesArrive()
    {
        using var dir = new TempDir();
        // mqttrules/#: the engine's own status (its refusal is a warning of its own, see PresenceTests)
        var acl = dir.Write("acl", "topic read #\ntopic write tank/#\ntopic write pumps/#\ntopic write mqttrules/#\n");
        await using var broker = await Mosquitto.StartAsync(dir, $"acl_file {acl}");
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "pumps/#", "-q", "1");
        await using (var engine = MqttRulesCli.Start(dir, Rules, MqttRulesCli.Url(broker.Port)))
        {
            await engine.WaitForStderrAsync("Subscribed to");
            await MosquittoClients.PublishAsync(broker.Port, "tank/t1/level", "40", qos: 1);
            await MosquittoClients.PublishAsync(broker.Port, "tank/t2/level", "50", qos: 1);
            await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Count >= 2, "both pump commands\n" + engine.AllOutput);
            await engine.WaitForStderrAsync("dead-lettered", count: 2);
            engine.Terminate();
            Assert.Equal(0, await engine.WaitForExitAsync(TimeSpan.FromSeconds(15)));
            Assert.Equal(2, engine.CountStderr("dead-lettered"));
            Assert.Equal(2, engine.CountStderr("NotAuthorized"));
        }

        Assert.Equal(["pumps/t1/set ON 40", "pumps/t2/set ON 50"], MosquittoClients.Messages(sub));
        Assert.Equal(2, StateFile.Count(dir, "dead_letter", "kind = 'publish' AND error LIKE '%NotAuthorized (0x87)%'"));
        Assert.Equal(0, StateFile.Count(dir, "publish_journal"));
    }
}
