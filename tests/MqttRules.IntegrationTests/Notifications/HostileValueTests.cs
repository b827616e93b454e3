using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using MqttRules.Actions;
using MqttRules.Engine;
using MqttRules.IntegrationTests.Peers;
using MqttRules.Loading;
using MqttRules.Outbox;

namespace MqttRules.IntegrationTests.Notifications;

/// <summary>
/// Values from payloads rendered into webhook URLs, headers and tweets, against real Kestrel peers:
/// they stay data, what cannot be sent safely goes to the dead letters at once, and nothing that
/// fails holds back what comes after it.
/// </summary>
public class HostileValueTests
{
    private static readonly Dictionary<string, string> NoSecrets = [];

    /// <summary>Retries slow enough that any row waiting for one would visibly hold back the lane.</summary>
    private static readonly DeliveryOptions SlowRetries = FastDelivery.Options with
    {
        BaseDelay = TimeSpan.FromSeconds(10),
        MaxDelay = TimeSpan.FromSeconds(10),
        RescheduleBase = TimeSpan.FromMinutes(1),
        RescheduleMax = TimeSpan.FromMinutes(1),
    };

    [Fact]
    public async Task Engine_UrlAndHeaderHoles_ValuesStayDataOnTheWire()
    {
        var seen = new ConcurrentQueue<(string Target, int QueryKeys, string? From)>();
        await using var hook = await FakeHttpPeer.StartAsync((_, ctx) =>
        {
            seen.Enqueue((ctx.Features.Get<IHttpRequestFeature>()!.RawTarget, ctx.Request.Query.Count, ctx.Request.Query["from"]));
            ctx.Response.StatusCode = 200;
            return Task.CompletedTask;
        });
        await using var h = await Harness.StartAsync(NoSecrets);
        var engine = Engine(h, hook.BaseUrl);

        engine.Process("site/a/event", Payload("x?admin=1", "a&admin=1#f", "Zürich"));

        await Wait.UntilAsync(() => hook.Accepted == 1, what: "webhook");
        var (target, queryKeys, from) = Assert.Single(seen);
        Assert.Equal("/api/x%3Fadmin%3D1?from=a%26admin%3D1%23f", target);
        Assert.Equal((1, "a&admin=1#f"), (queryKeys, from));
        Assert.Equal("Z%C3%BCrich", Assert.Single(hook.Requests).Headers["X-City"]);
    }

    /// <summary>HttpClient's Uri would send <c>/api/%2E%2E?from=b</c> as <c>/?from=b</c>: such a value is refused, the next one sent.</summary>
    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    public async Task Engine_UrlHoleDotSegment_RefusedNextDelivered(string name)
    {
        var targets = new ConcurrentQueue<string>();
        await using var hook = await FakeHttpPeer.StartAsync((_, ctx) =>
        {
            targets.Enqueue(ctx.Features.Get<IHttpRequestFeature>()!.RawTarget);
            ctx.Response.StatusCode = 200;
            return Task.CompletedTask;
        });
        await using var h = await Harness.StartAsync(NoSecrets);
        var engine = Engine(h, hook.BaseUrl);

        engine.Process("site/a/event", Payload(name, "b", "Basel"));
        engine.Process("site/b/event", Payload("ok", "b", "Basel"));

        await Wait.UntilAsync(() => hook.Accepted == 1, what: "the next webhook");
        Assert.Equal(["/api/ok?from=b"], targets);
    }

    [Theory]
    [InlineData("a\r\nX-Admin: 1")]
    [InlineData("a\rX-Admin: 1")]
    [InlineData("a\nX-Admin: 1")]
    public async Task Engine_HeaderHoleWithLineBreak_DeadLetterAtOnceNothingInjectedNextDelivered(string city)
    {
        await using var hook = await FakeHttpPeer.StartAsync((_, ctx) => { ctx.Response.StatusCode = 200; return Task.CompletedTask; });
        await using var h = await Harness.StartAsync(NoSecrets, SlowRetries);
        var engine = Engine(h, hook.BaseUrl);

        engine.Process("site/a/event", Payload("a", "b", city));
        engine.Process("site/b/event", Payload("a", "b", "Basel"));

        await Wait.UntilAsync(() => h.Store.DeadLetters() == 1 && h.Store.Delivered() == 1, TimeSpan.FromSeconds(5), "dead letter and the next webhook");
        var r = Assert.Single(hook.Requests);
        Assert.Equal("Basel", r.Headers["X-City"]);
        Assert.DoesNotContain(hook.Requests, q => q.Headers.ContainsKey("X-Admin"));
        Assert.Contains("control character", h.DeadLetterError(), StringComparison.Ordinal);
        Assert.Equal(0, h.Store.Pending());
    }

    [Fact]
    public async Task Webhook_RawNonAsciiHeader_DeadLetterAtOnceNextDelivered()
    {
        await using var hook = await FakeHttpPeer.StartAsync((_, ctx) => { ctx.Response.StatusCode = 200; return Task.CompletedTask; });
        await using var h = await Harness.StartAsync(NoSecrets, SlowRetries);

        h.Services.Outbox.Submit(Actions.Webhook(hook.BaseUrl) with { Headers = [new("X-City", "Zürich")] });
        h.Services.Outbox.Submit(Actions.Webhook(hook.BaseUrl) with { Headers = [new("X-City", "Basel")] });

        await Wait.UntilAsync(() => h.Store.DeadLetters() == 1 && hook.Accepted == 1, TimeSpan.FromSeconds(5), "dead letter and the next webhook");
        Assert.Single(hook.Requests);
        Assert.Contains("non-ASCII", h.DeadLetterError(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_RowFailingAheadInLane_RowsBehindSameHostDeliveredAtOnce()
    {
        await using var hook = await FakeHttpPeer.StartAsync((r, ctx) =>
        {
            ctx.Response.StatusCode = r.Url.Contains("/poison", StringComparison.Ordinal) ? 500 : 200;
            return Task.CompletedTask;
        });
        await using var h = await Harness.StartAsync(NoSecrets, SlowRetries);
        h.Services.Outbox.Submit(Actions.Webhook(new Uri(hook.BaseUrl, "/poison")));
        await Wait.UntilAsync(() => hook.Requests.Count == 1, what: "first attempt of the failing row");

        for (var i = 0; i < 10; i++)
        {
            h.Services.Outbox.Submit(Actions.Webhook(new Uri(hook.BaseUrl, $"/ok/{i}")));
        }

        // The peer counts a request before the engine records it delivered: wait for both.
        await Wait.UntilAsync(() => hook.Accepted == 10 && h.Store.Pending() == 1, TimeSpan.FromSeconds(3), "the rows behind the failing one");
        Assert.Equal(1, h.Store.Pending());
        Assert.Single(hook.Requests, r => r.Url.Contains("/poison", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tweet_InvalidCharacter_SentCleanedAndTheNextTweetToo()
    {
        // Like X: text with a character it does not accept is refused with 400.
        await using var x = await FakeHttpPeer.StartAsync(FakeXApi.Handler(async (r, ctx) =>
        {
            var text = FakeXApi.TextOf(r)!;
            ctx.Response.StatusCode = text.AsSpan().IndexOfAny("\uFFFE\uFEFF\uFFFF") >= 0 ? 400 : 201;
            await ctx.Response.WriteAsync("{}");
        }));
        await using var h = await Harness.StartAsync(FakeXApi.Env(x.BaseUrl), SlowRetries);

        h.Services.Outbox.Submit(Actions.Tweet("Leak at main\uFFFE: 12 L/min"));
        h.Services.Outbox.Submit(Actions.Tweet("Leak stopped"));

        await Wait.UntilAsync(() => x.Accepted == 2, TimeSpan.FromSeconds(5), "both tweets");
        Assert.Equal(["Leak at main: 12 L/min", "Leak stopped"], x.Requests.Select(FakeXApi.TextOf));
        Assert.Equal(0, h.Store.DeadLetters());
    }

    [Fact]
    public async Task Tweet_OnlyInvalidCharacters_DeadLetterAtOnceWithoutPosting()
    {
        await using var x = await FakeHttpPeer.StartAsync(FakeXApi.Handler());
        await using var h = await Harness.StartAsync(FakeXApi.Env(x.BaseUrl), SlowRetries);

        h.Services.Outbox.Submit(Actions.Tweet("\uFFFE\uFEFF"));
        h.Services.Outbox.Submit(Actions.Tweet("Leak stopped"));

        await Wait.UntilAsync(() => h.Store.DeadLetters() == 1 && x.Accepted == 1, TimeSpan.FromSeconds(5), "dead letter and the next tweet");
        Assert.Equal("Leak stopped", FakeXApi.TextOf(Assert.Single(x.Requests)));
        Assert.Contains("empty", h.DeadLetterError(), StringComparison.Ordinal);
    }

    private static RuleEngine Engine(Harness h, Uri hook)
    {
        var env = new Dictionary<string, string> { ["HOOK"] = hook.ToString().TrimEnd('/') };
        const string yaml = """
            rules:
              - id: hook-holes
                topic: site/+/event
                when: value > 0
                actions:
                  - webhook:
                      url: "${HOOK}/api/{{name}}?from={{from}}"
                      headers: { X-City: "{{city}}" }
                      body: { ok: true }
            """;
        var loaded = RuleLoader.LoadText(yaml, env: n => env.GetValueOrDefault(n));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        var engine = new RuleEngine(loaded.Rules, new ExternalOnly(h.Services.Outbox), new EngineOptions { StateStore = h.State, Metrics = h.Metrics });
        engine.Start();
        return engine;
    }

    private static byte[] Payload(string name, string from, string city) =>
        Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["value"] = 1, ["name"] = name, ["from"] = from, ["city"] = city }));
}
