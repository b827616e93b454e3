using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Live;

/// <summary>
/// On MQTT 3.1.1 the overlapping filters a/+/c and a/b/# are subscribed as the covering a/+/#:
/// what only that filter brings reaches no rule and must not count as an evaluated message.
/// </summary>
public sealed class IgnoredMessageMetricsTests
{
    private const string Rules = """
        rules:
          - id: c
            topic: a/+/c
            each_message: true
            actions: [ { log: "c {{topic}}" } ]
          - id: b
            topic: a/b/#
            each_message: true
            actions: [ { log: "b {{topic}}" } ]
        """;

    [Fact]
    public async Task Mqtt311_MessageOnlyTheCoveringFilterBrings_CountedAsIgnored()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var http = "127.0.0.1:" + Ports.Free();
        var env = new Dictionary<string, string?> { ["MQTTRULES_PROTOCOL"] = "3.1.1" };
        await using var engine = MqttRulesCli.Start(dir, Rules, MqttRulesCli.Url(broker.Port), env, "--dry-run", "--http", http);
        await engine.WaitForStderrAsync("Connected to");

        await MosquittoClients.PublishAsync(broker.Port, "a/x/d", "1", qos: 1);
        await MosquittoClients.PublishAsync(broker.Port, "a/x/c", "2", qos: 1);
        await engine.WaitForStderrAsync("c a/x/c");

        var metrics = "";
        await Poll.UntilAsync(async () => (metrics = await ReconnectTests.Metrics(http)).Contains("\nmqttrules_messages_ignored_total 1\n", StringComparison.Ordinal), "a/x/d ignored\n" + engine.AllOutput);
        Assert.Contains("\nmqttrules_messages_total 1\n", metrics, StringComparison.Ordinal);
    }
}
