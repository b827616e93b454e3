using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using MqttRules.IntegrationTests.Infrastructure;
using MqttRules.IntegrationTests.Peers;

namespace MqttRules.IntegrationTests.Lifecycle;

/// <summary>
/// The alert lifecycle of the running CLI against a real Mosquitto (issue 15): a mute sent over
/// MQTT that survives a restart and ends on time, an acknowledgement over the token-protected HTTP
/// API, and rules switched on and off over MQTT with their retained state topic.
/// </summary>
public sealed class LifecycleTests
{
    private static readonly Dictionary<string, string?> Token = new() { ["MQTTRULES_HTTP_TOKEN"] = "lc-token-42" };

    private static string LeakRules(Uri hook, string extra = "") => $$$"""
        rules:
          - id: leak
            topic: cellar/{room}/water
            when: value > 0
            {{{extra}}}
            actions:
              - webhook: { url: "{{{hook}}}leak", body: "leak {{room}} {{value}}" }
              - publish: { topic: "valves/{{room}}/set", payload: "CLOSE {{value}}", qos: 1 }
        """;

    [Fact]
    public async Task MuteOverMqtt_SurvivesRestart_AndEndsOnTime()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var hook = await FakeHttpPeer.StartAsync((_, ctx) => { ctx.Response.StatusCode = 204; return Task.CompletedTask; });
        var rules = LeakRules(hook.BaseUrl, "each_message: true");
        await using var valves = await MosquittoClients.SubscribeAsync(broker.Port, "valves/#");
        var first = MqttRulesCli.Start(dir, rules, MqttRulesCli.Url(broker.Port));
        await first.WaitForStderrAsync("Subscribed to");

        var muted = Stopwatch.StartNew();
        await MosquittoClients.PublishAsync(broker.Port, "mqttrules/rules/leak/mute/set", "20s", qos: 1);
        await first.WaitForStderrAsync("Lifecycle command: mute rule leak '20s': muted until");
        await MosquittoClients.PublishAsync(broker.Port, "cellar/a/water", "1", qos: 1);
        await Poll.UntilAsync(() => MosquittoClients.Messages(valves).Contains("valves/a/set CLOSE 1"), "publish still runs while muted");
        await first.WaitForStderrAsync("webhook not sent (muted)");
        first.Terminate();
        Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        await first.DisposeAsync();

        await using var second = MqttRulesCli.Start(dir, rules, MqttRulesCli.Url(broker.Port));
        await second.WaitForStderrAsync("Subscribed to");
        await MosquittoClients.PublishAsync(broker.Port, "cellar/b/water", "2", qos: 1);
        await Poll.UntilAsync(() => MosquittoClients.Messages(valves).Contains("valves/b/set CLOSE 2"), "the restarted engine acts");
        await second.WaitForStderrAsync("webhook not sent (muted)");
        Assert.True(muted.Elapsed < TimeSpan.FromSeconds(20), "the restart took longer than the mute: the test proves nothing");
        Assert.Empty(hook.Requests);

        // Once the 20 s are over, the next message notifies again.
        var n = 0;
        await Wait.UntilAsync(async () =>
        {
            await MosquittoClients.PublishAsync(broker.Port, "cellar/c/water", $"{++n}", qos: 1);
            return !hook.Requests.IsEmpty;
        }, TimeSpan.FromSeconds(30), "a webhook after the mute ended", TimeSpan.FromMilliseconds(500));
        Assert.True(muted.Elapsed >= TimeSpan.FromSeconds(20));
        Assert.StartsWith("leak c ", hook.Requests.First().Body, StringComparison.Ordinal);
        await second.WaitForStderrAsync("The mute of rule leak has ended");
    }

    [Fact]
    public async Task AckOverHttp_NeedsTheToken_StopsRepeatsUntilResolve()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var hook = await FakeHttpPeer.StartAsync((_, ctx) => { ctx.Response.StatusCode = 204; return Task.CompletedTask; });
        var port = Ports.Free();
        await using var engine = MqttRulesCli.Start(dir, LeakRules(hook.BaseUrl, "repeat: 1s"), MqttRulesCli.Url(broker.Port), Token, "--http", $"127.0.0.1:{port}");
        await engine.WaitForStderrAsync("Subscribed to");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        await MosquittoClients.PublishAsync(broker.Port, "cellar/a/water", "1", qos: 1);
        await Poll.UntilAsync(() => hook.Requests.Count >= 3, "the fire and two repeats notify");

        using (var none = await Post(http, "/api/rules/leak/ack", "", null))
        using (var wrong = await Post(http, "/api/rules/leak/ack", "", "not-the-token"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var ok = await Post(http, "/api/rules/leak/ack", "cellar/a/water", Token["MQTTRULES_HTTP_TOKEN"]);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("acknowledged 1 firing series: repeats stop until each resolves\n", await ok.Content.ReadAsStringAsync());
        await engine.WaitForStderrAsync("webhook not sent (acknowledged)", 2, TimeSpan.FromSeconds(10));
        var afterAck = hook.Requests.Count;
        await engine.WaitForStderrAsync("webhook not sent (acknowledged)", 4, TimeSpan.FromSeconds(10));
        Assert.Equal(afterAck, hook.Requests.Count);
        Assert.Contains("\"acknowledged\":true", await http.GetStringAsync(new Uri("/api/rules", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Contains("mqttrules_notifications_held_total{reason=\"acknowledged\"}", await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);

        // Resolved, then firing again: a normal fire, with repeats.
        await MosquittoClients.PublishAsync(broker.Port, "cellar/a/water", "0", qos: 1);
        await MosquittoClients.PublishAsync(broker.Port, "cellar/a/water", "5", qos: 1);
        await Poll.UntilAsync(() => hook.Requests.Count(r => r.Body == "leak a 5") >= 2, "the next fire notifies and repeats again");
        Assert.DoesNotContain(engine.Stderr, l => l.Contains("lc-token-42", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnableOverMqtt_UpdatesTheRetainedStateTopic_AndTheRule()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var rules = MqttRulesCli.SwitchRules + "\n" + """
              - id: spare
                enabled: false
                topic: spare/{tank}/level
                each_message: true
                actions: [ { publish: { topic: "pumps/{{tank}}/spare", payload: "SPARE", qos: 1 } } ]
            """;
        await using var engine = MqttRulesCli.Start(dir, rules, MqttRulesCli.Url(broker.Port));
        await engine.WaitForStderrAsync("Subscribed to");
        await using var states = await MosquittoClients.SubscribeAsync(broker.Port, "mqttrules/rules/+/enabled");
        await Poll.UntilAsync(() => MosquittoClients.Messages(states).Count >= 2, "the retained states");
        Assert.Equal(["mqttrules/rules/pump-on/enabled ON", "mqttrules/rules/spare/enabled OFF"], MosquittoClients.Messages(states).Order());
        await using var pumps = await MosquittoClients.SubscribeAsync(broker.Port, "pumps/#");

        await MosquittoClients.PublishAsync(broker.Port, "mqttrules/rules/pump-on/enabled/set", "OFF", qos: 1);
        await MosquittoClients.PublishAsync(broker.Port, "mqttrules/rules/spare/enabled/set", "ON", qos: 1);
        await Poll.UntilAsync(() => MosquittoClients.Messages(states).Count >= 4, "the changed states");
        await engine.WaitForStderrAsync("Subscriptions follow");
        await MosquittoClients.PublishAsync(broker.Port, "tank/a/level", "50", qos: 1);
        await MosquittoClients.PublishAsync(broker.Port, "spare/a/level", "50", qos: 1);
        await Poll.UntilAsync(() => MosquittoClients.Messages(pumps).Contains("pumps/a/spare SPARE"), "the switched-on rule acts");

        Assert.Equal(["mqttrules/rules/pump-on/enabled OFF", "mqttrules/rules/spare/enabled ON"], MosquittoClients.Messages(states).Skip(2).Order());
        Assert.DoesNotContain(MosquittoClients.Messages(pumps), l => l.StartsWith("pumps/a/set", StringComparison.Ordinal));
        await using var fresh = await MosquittoClients.SubscribeAsync(broker.Port, "mqttrules/rules/+/enabled");
        await Poll.UntilAsync(() => MosquittoClients.Messages(fresh).Count >= 2, "the retained states for a new subscriber");
        Assert.Equal(["mqttrules/rules/pump-on/enabled OFF", "mqttrules/rules/spare/enabled ON"], MosquittoClients.Messages(fresh).Order());
    }

    private static async Task<HttpResponseMessage> Post(HttpClient http, string path, string body, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request);
    }
}
