using System.Text.Json;
using Microsoft.AspNetCore.Http;
using MqttRules.Hosting;
using MqttRules.IntegrationTests.Infrastructure;
using MqttRules.IntegrationTests.Peers;
using MqttRules.Loading;
using MqttRules.Mqtt;
using MQTTnet;

namespace MqttRules.IntegrationTests.Notifications;

/// <summary>
/// Issue 15: notifiers with fallback channels and digests, in the whole engine host against a real
/// mosquitto and in-test HTTP peers; every alert delivered is counted against what was expected.
/// </summary>
public sealed class NotifierHostTests
{
    [Fact]
    public async Task Run_XRejectsForGood_WebhookFallbackGetsEachAlertOnce()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var x = await FakeHttpPeer.StartAsync(FakeXApi.Handler((_, ctx) =>
        {
            ctx.Response.StatusCode = 403;
            return ctx.Response.WriteAsync("{\"title\":\"Forbidden\",\"detail\":\"You are not permitted to perform this action.\",\"status\":403}");
        }));
        await using var hook = await FakeHttpPeer.StartAsync((_, ctx) => { ctx.Response.StatusCode = 200; return Task.CompletedTask; });
        var env = FakeXApi.Env(x.BaseUrl).ToDictionary(e => e.Key, e => (string?)e.Value);
        env["BACKUP_URL"] = new Uri(hook.BaseUrl, "/backup").ToString();
        const string yaml = """
            notifiers:
              phone:
                channels:
                  - tweet: "{{message}}"
                  - webhook: { url: "${BACKUP_URL}", body: { text: "{{message}}" } }
            rules:
              - id: valve-open
                topic: "valves/{valve}/state"
                when: payload == 'OPEN'
                actions:
                  - notify: { to: phone, message: "valve {{valve}} is open" }
            """;
        var logs = new CollectingLogger();
        await using var host = await Running.StartAsync(Build(dir, broker.Port, yaml, env, logs), logs);

        await MosquittoClients.PublishAsync(broker.Port, "valves/v1/state", "OPEN", qos: 1);
        await MosquittoClients.PublishAsync(broker.Port, "valves/v2/state", "OPEN", qos: 1);
        await Poll.UntilAsync(() => hook.Accepted == 2, "two alerts on the webhook\n" + string.Join("\n", logs.Lines));
        await MosquittoClients.PublishAsync(broker.Port, "valves/v3/state", "OPEN", qos: 1);
        await Poll.UntilAsync(() => hook.Accepted == 3, "the third alert on the webhook\n" + string.Join("\n", logs.Lines));
        await host.StopAsync();

        Assert.Equal(3, x.Requests.Count);
        Assert.Equal(["valve v1 is open", "valve v2 is open", "valve v3 is open"], hook.Requests.Select(r => TextOf(r.Body)).Order(StringComparer.Ordinal));
        Assert.Equal(3, hook.Requests.Select(r => r.Headers["Idempotency-Key"]).Distinct().Count());
        Assert.Contains(logs.Lines, l => l.Contains("notifier phone: tweet fell through", StringComparison.Ordinal) && l.Contains("the alert goes to webhook", StringComparison.Ordinal));
    }

    /// <summary>The case users moved for: X refuses for good (403), Mastodon takes each alert, once, across a restart.</summary>
    [Fact]
    public async Task Run_XFailsForGood_MastodonFallbackGetsEachAlertOnce_AcrossARestart()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var x = await FakeHttpPeer.StartAsync(FakeXApi.Handler((_, ctx) =>
        {
            ctx.Response.StatusCode = 403;
            return ctx.Response.WriteAsync("{\"title\":\"Forbidden\",\"detail\":\"You are not permitted to perform this action.\",\"status\":403}");
        }));
        await using var mastodon = await FakeHttpPeer.StartAsync(FakeChannelApis.Handler(FakeChannelApis.Service.Mastodon));
        var env = FakeXApi.Env(x.BaseUrl).ToDictionary(e => e.Key, e => (string?)e.Value);
        env["MASTODON_BASE_URL"] = mastodon.BaseUrl.ToString();
        env["MASTODON_ACCESS_TOKEN"] = FakeChannelApis.MastodonToken;
        const string yaml = """
            notifiers:
              house:
                channels:
                  - tweet: "{{message}}"
                  - mastodon: "{{message}}"
            rules:
              - id: water-high
                topic: "home/{meter}/water"
                when: lpm > 30
                actions:
                  - notify: { to: house, message: "Water at {{meter}}: {{lpm}} L/min" }
            """;

        var logs = new CollectingLogger();
        await using (var first = await Running.StartAsync(Build(dir, broker.Port, yaml, env, logs), logs))
        {
            await MosquittoClients.PublishAsync(broker.Port, "home/main/water", """{"lpm": 45}""", qos: 1);
            await MosquittoClients.PublishAsync(broker.Port, "home/garden/water", """{"lpm": 38}""", qos: 1);
            await Poll.UntilAsync(() => mastodon.Accepted == 2, "two alerts on Mastodon\n" + string.Join("\n", logs.Lines));
            await first.StopAsync();
        }

        await using (var second = await Running.StartAsync(Build(dir, broker.Port, yaml, env, logs), logs))
        {
            await MosquittoClients.PublishAsync(broker.Port, "home/main/water", """{"lpm": 10}""", qos: 1);
            await MosquittoClients.PublishAsync(broker.Port, "home/main/water", """{"lpm": 52}""", qos: 1);
            await Poll.UntilAsync(() => mastodon.Accepted == 3, "the third alert on Mastodon\n" + string.Join("\n", logs.Lines));
            await second.StopAsync();
        }

        Assert.Equal(3, x.Requests.Count);   // one attempt each: a 403 is final
        Assert.Equal(["Water at garden: 38 L/min", "Water at main: 45 L/min", "Water at main: 52 L/min"],
            mastodon.Requests.Select(r => FakeChannelApis.Text(FakeChannelApis.Service.Mastodon, r)).Order(StringComparer.Ordinal));
        Assert.Equal(3, mastodon.Requests.Select(r => r.Headers["Idempotency-Key"]).Distinct().Count());
        Assert.All(mastodon.Requests, r => Assert.Equal("Bearer " + FakeChannelApis.MastodonToken, r.Headers["Authorization"]));
        Assert.Equal(3, logs.Lines.Count(l => l.Contains("notifier house: tweet fell through", StringComparison.Ordinal) && l.Contains("the alert goes to mastodon", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Run_StormOf100Series_GroupedNotifierListsEachAlertOnce()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var hook = await FakeHttpPeer.StartAsync((_, ctx) => { ctx.Response.StatusCode = 200; return Task.CompletedTask; });
        var env = new Dictionary<string, string?> { ["PAGER_URL"] = new Uri(hook.BaseUrl, "/pager").ToString() };
        const string yaml = """
            notifiers:
              pager:
                channels:
                  - webhook: { url: "${PAGER_URL}", body: { text: "{{message}}" } }
                group: { wait: 3s, interval: 1s, max_lines: 1000 }
            rules:
              - id: too-warm
                topic: "sensors/{room}/temp"
                when: value > 30
                actions:
                  - notify: { to: pager, message: "{{room}}" }
            """;
        var logs = new CollectingLogger();
        await using var host = await Running.StartAsync(Build(dir, broker.Port, yaml, env, logs), logs);

        using (var client = new MqttClientFactory().CreateMqttClient())
        {
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId("storm-" + Guid.NewGuid().ToString("N")[..6]).Build());
            for (var i = 0; i < 100; i++)
            {
                await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"sensors/room{i:000}/temp").WithPayload("35")
                    .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
            }

            await client.DisconnectAsync();
        }

        var rooms = Enumerable.Range(0, 100).Select(i => $"room{i:000}").ToList();
        await Poll.UntilAsync(() => Listed(hook).Count >= 100, "100 alerts in digests\n" + string.Join("\n", logs.Lines), TimeSpan.FromSeconds(60));
        await host.StopAsync();

        Assert.Equal(rooms, Listed(hook).Order(StringComparer.Ordinal));
        Assert.InRange(hook.Requests.Count, 1, 3);   // one digest unless the storm outlasted the 3 s wait
        Assert.Equal(hook.Requests.Count, hook.Requests.Select(r => r.Headers["Idempotency-Key"]).Distinct().Count());
    }

    /// <summary>A host running until stopped (or disposed), subscribed to its topics.</summary>
    private sealed class Running(EngineHost host, Task run, CancellationTokenSource stop) : IAsyncDisposable
    {
        public static async Task<Running> StartAsync(EngineHost host, CollectingLogger logs)
        {
            // This instance's own "Subscribed to": a test that restarts shares the log with the
            // instance before, whose line would let it publish before this one's new session had
            // subscribed (and the broker would drop those messages).
            var before = logs.Lines.Count;
            var stop = new CancellationTokenSource();
            var running = new Running(host, host.RunAsync(stop.Token), stop);
            await Poll.UntilAsync(() => logs.Lines.Skip(before).Any(l => l.Contains("Subscribed to", StringComparison.Ordinal)), "subscribed\n" + string.Join("\n", logs.Lines));
            return running;
        }

        public async Task StopAsync()
        {
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(15));
        }

        public async ValueTask DisposeAsync()
        {
            if (!run.IsCompleted)
            {
                await StopAsync();
            }

            stop.Dispose();
            await host.DisposeAsync();
        }
    }

    private static List<string> Listed(FakeHttpPeer hook) => [.. hook.Requests.SelectMany(r => TextOf(r.Body)!.Split('\n'))];

    private static string? TextOf(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("text").GetString();
    }

    private static EngineHost Build(TempDir dir, int port, string yaml, Dictionary<string, string?> env, CollectingLogger logs)
    {
        var loaded = RuleLoader.LoadText(yaml, env: env.GetValueOrDefault);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        return new EngineHostBuilder(loaded.Rules)
            .Configure(o => o with
            {
                Broker = MqttSettings.FromEnvironment(MqttRulesCli.Url(port), "it-notifier-" + Guid.NewGuid().ToString("N")[..8], env.GetValueOrDefault),
                StatePath = dir.FilePath("state.db"),
                Environment = env.GetValueOrDefault,
                Loggers = logs.Factory(),
            })
            .Build();
    }
}
