using System.Net;
using MqttRules.Diagnostics;
using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Http;

public sealed class HttpTests
{
    [Fact]
    public async Task Http_HealthzFollowsBrokerAndMetricsCount()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var http = Ports.Free();
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, MqttRulesCli.Url(broker.Port), null, "--http", $":{http}");
        await engine.WaitForStderrAsync("Subscribed to");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };

        // "Subscribed to" is logged just before the engine announces itself online and counts the
        // broker as connected; a native build gets here within that moment, so wait for the 200.
        await Poll.UntilAsync(async () => (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode == HttpStatusCode.OK, "200 once connected");
        var ok = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal("{\"status\":\"ok\",\"broker\":\"connected\"}", await ok.Content.ReadAsStringAsync());

        await MosquittoClients.PublishAsync(broker.Port, "tank/m/level", "45", qos: 1);
        await MosquittoClients.PublishAsync(broker.Port, "tank/m/level", "not a number", qos: 1);
        // The second message can still be on its way when the first one's publish is counted.
        await Poll.UntilAsync(async () => (await client.GetStringAsync(new Uri("/metrics", UriKind.Relative))) is var m
            && m.Contains("mqttrules_actions_total{kind=\"publish\",outcome=\"ok\"} 1", StringComparison.Ordinal)
            && m.Contains("mqttrules_messages_total 2", StringComparison.Ordinal), "publish counted, both messages evaluated");
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("mqttrules_messages_total 2", metrics, StringComparison.Ordinal);
        Assert.Contains("mqttrules_rule_matches_total{rule=\"pump-on\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("mqttrules_broker_connected 1", metrics, StringComparison.Ordinal);
        Assert.Contains("mqttrules_reconnects_total 0", metrics, StringComparison.Ordinal);
        Assert.Contains($"mqttrules_build_info{{version=\"{BuildInfo.Version}\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains(engine.Stderr, l => l.Contains($"mqttrules {BuildInfo.Version} starting", StringComparison.Ordinal));

        await broker.StopAsync();
        await Poll.UntilAsync(async () => (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode == HttpStatusCode.ServiceUnavailable, "503 while the broker is down");
        var down = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal("{\"status\":\"degraded\",\"broker\":\"disconnected\"}", await down.Content.ReadAsStringAsync());

        await broker.RestartAsync();
        await Poll.UntilAsync(async () => (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode == HttpStatusCode.OK, "200 after reconnecting");
        Assert.Contains("mqttrules_reconnects_total 1", await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
    }
}
