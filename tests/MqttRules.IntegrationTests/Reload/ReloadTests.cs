using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using MQTTnet;
using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Reload;

/// <summary>Reloading the rules of the running CLI: SIGHUP, POST /-/reload, against a real Mosquitto.</summary>
public sealed class ReloadTests
{
    private const int Sighup = 1;

    /// <summary>A slow rule with a pending <c>for:</c>, and the switch rule.</summary>
    private static string Rules(string pumpPayload, string extra = "") => $$$"""
        rules:
          - id: slow
            topic: tank/a/level
            when: value > 30
            for: 4s
            actions:
              - publish: { topic: "pumps/a/slow", payload: "SLOW {{value}}", qos: 1 }
          - id: pump-on
            topic: tank/{tank}/level
            when: value > 30
            each_message: true
            actions:
              - publish: { topic: "pumps/{{tank}}/set", payload: "{{{pumpPayload}}} {{value}}", qos: 1 }
        {{{extra}}}
        """;

    [Fact]
    public async Task Sighup_AfterEditingARule_StaysAliveNewRuleActsAndPendingForFiresOnTime()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var engine = MqttRulesCli.Start(dir, Rules("ON"), MqttRulesCli.Url(broker.Port));
        await engine.WaitForStderrAsync("Subscribed to");
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "pumps/#");

        var pending = Stopwatch.StartNew();
        await MosquittoClients.PublishAsync(broker.Port, "tank/a/level", "45", qos: 1);
        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/a/set ON 45"), "the old rule acts");
        dir.Write("rules.yaml", Rules("NEW", """
              - id: valve
                topic: valve/{v}/cmd
                each_message: true
                actions: [ { publish: { topic: "pumps/{{v}}/valve", payload: "V {{value}}" } } ]
            """));
        engine.Signal(Sighup);
        await engine.WaitForStderrAsync("Reloaded: 3 rules (1 added, 0 removed, 1 changed, 1 unchanged)");
        await engine.WaitForStderrAsync("Subscriptions follow the reloaded rules");

        await MosquittoClients.PublishAsync(broker.Port, "tank/b/level", "50", qos: 1);
        await MosquittoClients.PublishAsync(broker.Port, "valve/x/cmd", "7", qos: 1);
        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/b/set NEW 50"), "the changed rule acts");
        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/x/valve V 7"), "the added rule acts on its new subscription");
        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/a/slow SLOW 45"), "the unchanged rule's pending for fires");
        var firedAfter = pending.Elapsed;

        // The for: 4s started before the reload and was kept: it fired 4 s after the message, not 4 s after the reload.
        Assert.InRange(firedAfter, TimeSpan.FromSeconds(3.5), TimeSpan.FromSeconds(8));
        Assert.Contains(engine.Stderr, l => l.Contains("rule pump-on changed", StringComparison.Ordinal));
        Assert.False(engine.HasExited);
        engine.Terminate();
        Assert.Equal(0, await engine.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Sighup_BrokenRuleFile_KeepsTheOldRulesAndLogsFileLineCol()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var (engine, client) = await StartWithHttpAsync(dir, broker, null, "");
        await using var running = engine;
        using var http = client;
        Assert.Contains("mqttrules_config_last_reload_successful 1", await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);

        var file = dir.Write("rules.yaml", MqttRulesCli.SwitchRules.Replace("when: value > 30", "when: value >", StringComparison.Ordinal));
        engine.Signal(Sighup);
        await engine.WaitForStderrAsync("the previous rules keep running");

        Assert.Contains(engine.Stderr, l => l.Contains(file + ":4:", StringComparison.Ordinal));
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("mqttrules_config_last_reload_successful 0", metrics, StringComparison.Ordinal);
        Assert.Contains("mqttrules_config_last_reload_success_timestamp_seconds ", metrics, StringComparison.Ordinal);
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "pumps/#");
        await MosquittoClients.PublishAsync(broker.Port, "tank/m/level", "45", qos: 1);
        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/m/set ON 45"), "the old rules still act");
        Assert.False(engine.HasExited);
    }

    [Fact]
    public async Task ReloadEndpoint_NeedsTheBearerToken()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var tokenFile = dir.Write("token", "s3cret-token\n");
        var (engine, client) = await StartWithHttpAsync(dir, broker, new Dictionary<string, string?> { ["MQTTRULES_HTTP_TOKEN_FILE"] = tokenFile }, "");
        await using var running = engine;
        using var http = client;

        Assert.Equal(HttpStatusCode.Unauthorized, (await Reload(client, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Reload(client, "wrong-token")).StatusCode);
        using var ok = await Reload(client, "s3cret-token");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("Reloaded: 1 rules (0 added, 0 removed, 0 changed, 1 unchanged)\n", await ok.Content.ReadAsStringAsync());
        Assert.DoesNotContain("s3cret-token", engine.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReloadEndpoint_WithoutATokenConfigured_IsOff()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var (engine, client) = await StartWithHttpAsync(dir, broker, null, "0.0.0.0");
        await using var running = engine;
        using var http = client;

        Assert.Equal(HttpStatusCode.NotFound, (await Reload(client, "anything")).StatusCode);
        Assert.Contains(engine.Stderr, l => l.Contains("MQTTRULES_HTTP_TOKEN is not set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Watch_RuleFileEdited_ReloadsAndTheNewRuleActs()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var engine = MqttRulesCli.Start(dir, Rules("ON"), MqttRulesCli.Url(broker.Port), null, "--watch");
        await engine.WaitForStderrAsync("Subscribed to");
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "pumps/#");

        dir.Write("rules.yaml", Rules("WATCHED"));
        await engine.WaitForStderrAsync("Reloaded: 2 rules (0 added, 0 removed, 1 changed, 1 unchanged)");
        await MosquittoClients.PublishAsync(broker.Port, "tank/b/level", "50", qos: 1);

        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/b/set WATCHED 50"), "the edited rule acts");
    }

    /// <summary>
    /// Messages published while the rules are reloaded again and again: each is evaluated exactly
    /// once (the each_message rule republishes every one; none missing, none twice).
    /// </summary>
    [Fact]
    public async Task Reload_UnderLoad_EveryMessageEvaluatedExactlyOnce()
    {
        const int N = 3000;
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var engine = MqttRulesCli.Start(dir, Rules("ON"), MqttRulesCli.Url(broker.Port));
        await engine.WaitForStderrAsync("Subscribed to");
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "pumps/+/set", "-q", "1");
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId("load-" + Guid.NewGuid().ToString("N")[..6]).Build());

        // Meanwhile, a rule on another topic goes in and out four times: real swaps, with new and dropped subscriptions.
        var reloading = Task.Run(async () =>
        {
            for (var r = 1; r <= 4; r++)
            {
                dir.Write("rules.yaml", Rules("ON", r % 2 == 1 ? "  - { id: extra, topic: other/+, each_message: true, actions: [ { log: x } ] }" : ""));
                engine.Signal(Sighup);
                await engine.WaitForStderrAsync("Reloaded:", r, TimeSpan.FromSeconds(30));
            }
        });
        for (var i = 0; i < N; i++)
        {
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"tank/t{i % 7}/level").WithPayload($"{1000 + i}")
                .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }

        await reloading;
        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Count >= N, $"{N} republished", TimeSpan.FromSeconds(60));
        var seen = MosquittoClients.Messages(sub).Select(l => l[(l.LastIndexOf(' ') + 1)..]).ToList();

        Assert.Equal(N, seen.Count);
        Assert.Equal(Enumerable.Range(1000, N).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(), seen.Order());
        await client.DisconnectAsync();
    }

    /// <summary>The CLI with the switch rules and <c>--http HOST:port</c>, connected, and a client of its HTTP port.</summary>
    private static async Task<(ChildProcess Engine, HttpClient Client)> StartWithHttpAsync(TempDir dir, Mosquitto broker, IDictionary<string, string?>? env, string host)
    {
        var port = Ports.Free();
        var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, MqttRulesCli.Url(broker.Port), env, "--http", $"{host}:{port}");
        await engine.WaitForStderrAsync("Subscribed to");
        return (engine, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
    }

    private static async Task<HttpResponseMessage> Reload(HttpClient client, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/-/reload", UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request);
    }
}
