using System.Globalization;
using Microsoft.AspNetCore.Http;
using MqttRules.IntegrationTests.Infrastructure;
using MqttRules.IntegrationTests.Peers;
using MqttRules.Storage;
using static MqttRules.IntegrationTests.Peers.FakeChannelApis;

namespace MqttRules.IntegrationTests.Notifications;

/// <summary>
/// The whole program with a real Mosquitto and a fake of each chat service: a message fires a rule whose
/// actions go to Mastodon, ntfy, Telegram, Slack and Discord. Each gets the alert once; a 429 is retried
/// when the service said; a refusal for good goes to the dead letters; no secret is ever written out.
/// </summary>
public sealed class ChannelDeliveryTests
{
    private const string Rules = """
        rules:
          - id: freezer-warm
            topic: kitchen/{appliance}/temp
            when: value > -10
            actions:
              - mastodon: "{{appliance}} at {{value}} C"
              - ntfy: { topic: house-alerts, message: "{{appliance}} at {{value}} C", title: Freezer, priority: high, tags: [warning] }
              - telegram: "{{appliance}} at {{value}} C"
              - slack: "{{appliance}} at {{value}} C"
              - discord: { content: "{{appliance}} at {{value}} C", username: house }
        """;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Run_RuleWithEveryChannel_EachServiceGetsTheAlertOnce()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var peers = await StartAllAsync();
        try
        {
            await using (var run = MqttRulesCli.Start(dir, Rules, MqttRulesCli.Url(broker.Port), Env(peers)))
            {
                await run.WaitForStderrAsync("Subscribed to");
                await MosquittoClients.PublishAsync(broker.Port, "kitchen/freezer/temp", "-5", qos: 1);
                await UntilEachAcceptedAsync(peers, run, Poll.Default);
                run.Terminate();
                Assert.Equal(0, await run.WaitForExitAsync(TimeSpan.FromSeconds(10)));
                AssertNoSecret(run.AllOutput);
            }

            foreach (var service in All)
            {
                var request = Assert.Single(peers[service].Requests);
                Assert.Equal("freezer at -5 C", Text(service, request));
            }

            var ntfy = peers[Service.Ntfy].Requests.Single();
            Assert.Equal(("house-alerts", "Freezer", "4"), (Field(ntfy, "topic"), Field(ntfy, "title"), Field(ntfy, "priority")));
            Assert.Equal("house", Field(peers[Service.Discord].Requests.Single(), "username"));
        }
        finally
        {
            await DisposeAsync(peers);
        }
    }

    [Fact]
    public async Task Run_EachService429WithItsOwnRetrySignal_RetriedAfterTheTimeItNamedThenDeliveredOnce()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var peers = await StartAllAsync(async (service, r, ctx) =>
        {
            if (r.Number == 1)
            {
                await RateLimitAsync(service, r, ctx);
                return;
            }

            await Handler(service)(r, ctx);
        });
        try
        {
            await using (var run = MqttRulesCli.Start(dir, Rules, MqttRulesCli.Url(broker.Port), Env(peers)))
            {
                await run.WaitForStderrAsync("Subscribed to");
                await MosquittoClients.PublishAsync(broker.Port, "kitchen/freezer/temp", "-5", qos: 1);
                await UntilEachAcceptedAsync(peers, run, TimeSpan.FromSeconds(20));
                run.Terminate();
                Assert.Equal(0, await run.WaitForExitAsync(TimeSpan.FromSeconds(10)));
                AssertNoSecret(run.AllOutput);
            }

            foreach (var service in All)
            {
                var requests = peers[service].Requests.ToList();
                Assert.Equal(2, requests.Count);
                var waited = requests[1].At - requests[0].At;
                Assert.True(waited >= Wait - TimeSpan.FromMilliseconds(150), $"{service} retried after {waited.TotalMilliseconds} ms, asked for {Wait.TotalMilliseconds}");
                Assert.Equal(Text(service, requests[0]), Text(service, requests[1]));
            }
        }
        finally
        {
            await DisposeAsync(peers);
        }
    }

    [Fact]
    public async Task Run_EachServiceRefusesForGood_OneAttemptThenDeadLetterWithoutSecrets()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var peers = await StartAllAsync(RefuseAsync);
        try
        {
            await using (var run = MqttRulesCli.Start(dir, Rules, MqttRulesCli.Url(broker.Port), Env(peers)))
            {
                await run.WaitForStderrAsync("Subscribed to");
                await MosquittoClients.PublishAsync(broker.Port, "kitchen/freezer/temp", "-5", qos: 1);
                await run.WaitForStderrAsync("went to the dead-letter table", count: 5);
                run.Terminate();
                Assert.Equal(0, await run.WaitForExitAsync(TimeSpan.FromSeconds(10)));
                AssertNoSecret(run.AllOutput);
            }

            Assert.All(peers.Values, p => Assert.Single(p.Requests));
            using var db = StateDatabase.Open(Path.Combine(dir.Path, "state.db"));
            using var cmd = db.Command("SELECT kind, action, error FROM dead_letter ORDER BY kind");
            using var reader = cmd.ExecuteReader();
            var rows = new List<(string Kind, string Action, string Error)>();
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }

            Assert.Equal(["discord", "mastodon", "ntfy", "slack", "telegram"], rows.Select(r => r.Kind));
            Assert.Contains("bot was blocked by the user", rows.Single(r => r.Kind == "telegram").Error);
            Assert.Contains("channel_is_archived", rows.Single(r => r.Kind == "slack").Error);
            Assert.All(rows, r => AssertNoSecret(r.Action + r.Error));
        }
        finally
        {
            await DisposeAsync(peers);
        }
    }

    [Fact]
    public async Task Run_ChannelsWithoutTheirSecrets_WarnedAtStartMastodonLoggedNotSentSlackDeadLettered()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        const string rules = """
            rules:
              - id: alarm
                topic: alarm/{room}
                when: value > 30
                actions:
                  - mastodon: "{{room}} at {{value}}"
                  - telegram: "{{room}} at {{value}}"
                  - slack: "{{room}} at {{value}}"
            """;

        await using var run = MqttRulesCli.Start(dir, rules, MqttRulesCli.Url(broker.Port));
        await run.WaitForStderrAsync("Subscribed to");
        Assert.Equal(1, run.CountStderr("mastodon is not configured (MASTODON_BASE_URL and MASTODON_ACCESS_TOKEN not set"));
        Assert.Equal(1, run.CountStderr("telegram is not configured (TELEGRAM_BOT_TOKEN not set"));
        Assert.Equal(1, run.CountStderr("SLACK_WEBHOOK_URL is not set: slack actions without their own url will go to the dead letters"));

        await MosquittoClients.PublishAsync(broker.Port, "alarm/hall", "42", qos: 1);
        await run.WaitForStderrAsync("mastodon not sent");
        await run.WaitForStderrAsync("telegram not sent");
        await run.WaitForStderrAsync("SLACK_WEBHOOK_URL is not set and the slack action has no url");
    }

    /// <summary>Each service's own way of saying "wait <see cref="Wait"/>" (from its documentation).</summary>
    private static async Task RateLimitAsync(Service service, Received r, HttpContext ctx)
    {
        ctx.Response.StatusCode = 429;
        var seconds = Wait.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        switch (service)
        {
            case Service.Mastodon:
                ctx.Response.Headers["X-RateLimit-Limit"] = "300";
                ctx.Response.Headers["X-RateLimit-Remaining"] = "0";
                ctx.Response.Headers["X-RateLimit-Reset"] = (r.At + Wait).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);
                await ctx.Response.WriteAsync("{\"error\":\"Too many requests\"}");
                break;
            case Service.Ntfy:
                ctx.Response.Headers.RetryAfter = seconds;
                await ctx.Response.WriteAsync("{\"code\":42901,\"http\":429,\"error\":\"limit reached: too many requests\"}");
                break;
            case Service.Telegram:
                await ctx.Response.WriteAsync($"{{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after {seconds}\",\"parameters\":{{\"retry_after\":{seconds}}}}}");
                break;
            case Service.Slack:
                ctx.Response.Headers.RetryAfter = seconds;
                await ctx.Response.WriteAsync("rate_limited");
                break;
            default:
                await ctx.Response.WriteAsync($"{{\"message\":\"You are being rate limited.\",\"retry_after\":{seconds}.0,\"global\":false}}");
                break;
        }
    }

    /// <summary>Each service's answer to a message it will never take.</summary>
    private static async Task RefuseAsync(Service service, Received r, HttpContext ctx)
    {
        var (code, body) = service switch
        {
            Service.Mastodon => (422, "{\"error\":\"Validation failed: Text character limit of 500 exceeded\"}"),
            Service.Ntfy => (403, "{\"code\":40301,\"http\":403,\"error\":\"forbidden\"}"),
            Service.Telegram => (403, "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}"),
            Service.Slack => (410, "channel_is_archived"),
            _ => (400, "{\"message\":\"Invalid Form Body\",\"code\":50035}"),
        };
        ctx.Response.StatusCode = code;
        await ctx.Response.WriteAsync(body);
    }

    /// <summary>Waits until each fake accepted one request; on a timeout, says what each got and what the program wrote.</summary>
    private static async Task UntilEachAcceptedAsync(Dictionary<Service, FakeHttpPeer> peers, ChildProcess run, TimeSpan bound)
    {
        try
        {
            await Poll.UntilAsync(() => peers.Values.All(p => p.Accepted == 1), "every channel delivered", bound);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var got = string.Join(", ", peers.Select(p => $"{p.Key}: {p.Value.Requests.Count} requests, {p.Value.Accepted} accepted"));
            throw new TimeoutException($"{ex.Message}\n{got}\n{run.AllOutput}", ex);
        }
    }

    private static void AssertNoSecret(string text) => Assert.All(Secrets, s => Assert.DoesNotContain(s, text, StringComparison.Ordinal));

    private static async Task DisposeAsync(Dictionary<Service, FakeHttpPeer> peers)
    {
        foreach (var peer in peers.Values)
        {
            await peer.DisposeAsync();
        }
    }
}
