using Microsoft.AspNetCore.Http;
using MqttRules.IntegrationTests.Peers;

namespace MqttRules.IntegrationTests.Notifications;

public class WebhookDeliveryTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> NoSecrets = [];

    private static Func<Received, HttpContext, Task> Status(Func<int, int> byNumber) => (r, ctx) =>
    {
        ctx.Response.StatusCode = byNumber(r.Number);
        return Task.CompletedTask;
    };

    [Fact]
    public async Task Webhook_JsonBody_DeliveredWithContentTypeAndIdempotencyKey()
    {
        await using var peer = await FakeHttpPeer.StartAsync(Status(_ => 204));
        await using var h = await Harness.StartAsync(NoSecrets);
        var action = Actions.Webhook(new Uri(peer.BaseUrl, "/hooks/ops"));

        h.Services.Outbox.Submit(action);

        await Wait.UntilAsync(() => h.Metrics.ActionCount("webhook", "delivered") == 1, what: "delivery");
        var r = Assert.Single(peer.Requests);
        Assert.Equal("POST", r.Method);
        Assert.Equal("application/json; charset=utf-8", r.Headers["Content-Type"]);
        Assert.Equal(action.Id, r.Headers["Idempotency-Key"]);
        Assert.Equal("{\"text\":\"Freezer at -5 C\"}", r.Body);
    }

    [Fact]
    public async Task Webhook_TextBodyAndCustomHeaders_SentAsTextPlainWithHeaders()
    {
        await using var peer = await FakeHttpPeer.StartAsync(Status(_ => 200));
        await using var h = await Harness.StartAsync(NoSecrets);

        h.Services.Outbox.Submit(Actions.Webhook(peer.BaseUrl, "Freezer at -5 °C", json: false) with { Method = "PUT", Headers = [new("X-Token", "abc")] });

        await Wait.UntilAsync(() => peer.Accepted == 1, what: "delivery");
        var r = Assert.Single(peer.Requests);
        Assert.Equal("PUT", r.Method);
        Assert.Equal("text/plain; charset=utf-8", r.Headers["Content-Type"]);
        Assert.Equal("abc", r.Headers["X-Token"]);
        Assert.Equal("Freezer at -5 °C", r.Body);
    }

    [Fact]
    public async Task Webhook_503TwiceThenOk_DeliveredExactlyOnceSameKeyEachAttempt()
    {
        await using var peer = await FakeHttpPeer.StartAsync(Status(n => n <= 2 ? 503 : 200));
        await using var h = await Harness.StartAsync(NoSecrets);

        h.Services.Outbox.Submit(Actions.Webhook(peer.BaseUrl));

        await Wait.UntilAsync(() => h.Store.Delivered() == 1, what: "delivery");
        await h.SettleLaneAsync(Actions.Webhook(peer.BaseUrl, Harness.Marker, json: false));
        var requests = peer.Requests.Where(r => r.Body != Harness.Marker).ToList();
        Assert.Equal(3, requests.Count);
        Assert.Equal(1, peer.Accepted - 1);   // the marker was accepted too
        Assert.Single(requests.Select(r => r.Headers["Idempotency-Key"]).Distinct());
    }

    [Fact]
    public async Task Webhook_RetryAfter_WaitsAsAsked()
    {
        await using var peer = await FakeHttpPeer.StartAsync((r, ctx) =>
        {
            ctx.Response.StatusCode = r.Number == 1 ? 503 : 200;
            if (r.Number == 1)
            {
                ctx.Response.Headers.RetryAfter = "1";
            }

            return Task.CompletedTask;
        });
        await using var h = await Harness.StartAsync(NoSecrets);

        h.Services.Outbox.Submit(Actions.Webhook(peer.BaseUrl));

        await Wait.UntilAsync(() => peer.Accepted == 1, what: "delivery");
        var times = peer.Requests.Select(r => r.At).ToArray();
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(900), $"waited only {times[1] - times[0]}");
    }

    [Fact]
    public async Task Webhook_BacklogAfterOutage_DrainsWithoutWaitingForPolls()
    {
        const int n = 300;
        var path = TempDb.NewPath();
        try
        {
            var port = FakeHttpPeer.FreePort();
            await using (var down = await Harness.StartAsync(NoSecrets, FastDelivery.Options with { PollInterval = TimeSpan.FromSeconds(30) }, path))
            {
                await down.Services.StopAsync();
                for (var i = 0; i < n; i++)
                {
                    down.Services.Outbox.Submit(Actions.Webhook(new Uri($"http://127.0.0.1:{port}/hook")));
                }
            }

            await using var peer = await FakeHttpPeer.StartAsync(Status(_ => 200), port);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            await using var up = await Harness.StartAsync(NoSecrets, FastDelivery.Options with { PollInterval = TimeSpan.FromSeconds(30) }, path);

            await Wait.UntilAsync(() => up.Store.Delivered() == n, TimeSpan.FromSeconds(20), "backlog drained");
            output.WriteLine($"{n} webhooks delivered in {sw.ElapsedMilliseconds} ms = {n / sw.Elapsed.TotalSeconds:F0}/s (one lane, sequential)");
            Assert.Equal(n, peer.Accepted);
            Assert.Equal(n, peer.Requests.Select(r => r.Headers["Idempotency-Key"]).Distinct().Count());
        }
        finally
        {
            TempDb.Delete(path);
        }
    }

    [Fact]
    public async Task Webhook_400_DeadLetterNotRetried()
    {
        await using var peer = await FakeHttpPeer.StartAsync(Status(_ => 400));
        await using var h = await Harness.StartAsync(NoSecrets);

        h.Services.Outbox.Submit(Actions.Webhook(peer.BaseUrl));

        await Wait.UntilAsync(() => h.Store.DeadLetters() == 1, what: "dead letter");
        Assert.Equal(1, h.Metrics.ActionCount("webhook", "dead_letter"));
        await h.SettleLaneAsync(Actions.Webhook(peer.BaseUrl, Harness.Marker, json: false));
        Assert.Single(peer.Requests, r => r.Body != Harness.Marker);
        Assert.Equal(0, h.Store.Pending());
        Assert.Contains(h.Logs.Lines, l => l.StartsWith("Error:", StringComparison.Ordinal) && l.Contains("dead-letter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Webhook_EndpointDownForAWhile_DeliveredWhenBack()
    {
        var port = FakeHttpPeer.FreePort();
        await using var h = await Harness.StartAsync(NoSecrets);

        h.Services.Outbox.Submit(Actions.Webhook(new Uri($"http://127.0.0.1:{port}/hook")));
        await Wait.UntilAsync(() => h.Metrics.ActionCount("webhook", "retry") >= 2, what: "two failed rounds");
        Assert.Equal(1, h.Store.Pending());
        Assert.Equal(1, h.Metrics.OutboxPending());

        await using var peer = await FakeHttpPeer.StartAsync(Status(_ => 200), port);

        await Wait.UntilAsync(() => h.Store.Delivered() == 1, what: "delivery after the endpoint came back");
        Assert.Equal(1, peer.Accepted);
        Assert.Equal(0, h.Metrics.OutboxPending());
    }

    [Fact]
    public async Task Webhook_OneEndpointHangs_OtherEndpointNotDelayed()
    {
        var release = new TaskCompletionSource();
        await using var slow = await FakeHttpPeer.StartAsync(async (_, ctx) =>
        {
            await release.Task.WaitAsync(ctx.RequestAborted);
            ctx.Response.StatusCode = 200;
        });
        await using var fast = await FakeHttpPeer.StartAsync(Status(_ => 200));
        await using var h = await Harness.StartAsync(NoSecrets);

        h.Services.Outbox.Submit(Actions.Webhook(slow.BaseUrl));
        await Wait.UntilAsync(() => !slow.Requests.IsEmpty, what: "slow endpoint called");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        h.Services.Outbox.Submit(Actions.Webhook(new Uri($"http://localhost:{fast.Port}/")));

        await Wait.UntilAsync(() => fast.Accepted == 1, TimeSpan.FromSeconds(2), "fast endpoint while the slow one hangs");
        output(sw.Elapsed);
        release.SetResult();
        await Wait.UntilAsync(() => h.Store.Delivered() == 2, what: "slow endpoint delivered after release");

        static void output(TimeSpan elapsed) => Assert.True(elapsed < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Outbox_KilledMidDelivery_DeliveredOnceAfterRestartNotDuplicated()
    {
        var path = TempDb.NewPath();
        try
        {
            var hang = new TaskCompletionSource();
            await using var peer = await FakeHttpPeer.StartAsync(async (r, ctx) =>
            {
                if (r.Number == 1)
                {
                    await hang.Task.WaitAsync(ctx.RequestAborted);   // the first process "dies" before an answer
                }

                ctx.Response.StatusCode = 200;
            });
            var action = Actions.Webhook(peer.BaseUrl);
            var first = await Harness.StartAsync(NoSecrets, path: path);
            first.Services.Outbox.Submit(action);
            await Wait.UntilAsync(() => peer.Requests.Count == 1, what: "first attempt in flight");
            await first.DisposeAsync();
            Assert.Equal(0, peer.Accepted);

            await using (var second = await Harness.StartAsync(NoSecrets, path: path))
            {
                await Wait.UntilAsync(() => second.Store.Delivered() == 1, what: "delivery after restart");
                second.Services.Outbox.Submit(action);   // a replayed submit of the same id is ignored
            }

            await using (var third = await Harness.StartAsync(NoSecrets, path: path))
            {
                await third.SettleLaneAsync(Actions.Webhook(peer.BaseUrl, Harness.Marker, json: false));
                Assert.Equal(0, third.Store.Pending());
            }

            var requests = peer.Requests.Where(r => r.Body != Harness.Marker).ToList();
            Assert.Equal(1, peer.Accepted - 1);   // the marker was accepted too
            Assert.Equal(2, requests.Count);
            Assert.Single(requests.Select(r => r.Headers["Idempotency-Key"]).Distinct());
        }
        finally
        {
            TempDb.Delete(path);
        }
    }

    [Fact]
    public async Task Stop_AttemptInFlightFinishesSoon_DeliveredBeforeStopReturns()
    {
        await using var peer = await FakeHttpPeer.StartAsync(async (_, ctx) =>
        {
            await Task.Delay(300, ctx.RequestAborted);
            ctx.Response.StatusCode = 200;
        });
        // The product's stop timeout (5 s), not the fast harness's 1 s: in a fresh test process the
        // first HTTP exchange (connection, JIT of the client stack) with the peer's 300 ms took longer than 1 s.
        await using var h = await Harness.StartAsync(NoSecrets, FastDelivery.Options with { StopTimeout = new MqttRules.Outbox.DeliveryOptions().StopTimeout });
        h.Services.Outbox.Submit(Actions.Webhook(peer.BaseUrl));
        await Wait.UntilAsync(() => !peer.Requests.IsEmpty, what: "delivery started");

        await h.Services.StopAsync();

        Assert.Equal(1, h.Store.Delivered());
        Assert.Equal(0, h.Store.Pending());
    }

    [Fact]
    public async Task Stop_WithUndeliveredRows_StopsWithinSecondsRowsKept()
    {
        var path = TempDb.NewPath();
        try
        {
            await using var peer = await FakeHttpPeer.StartAsync(async (_, ctx) => await Task.Delay(Timeout.Infinite, ctx.RequestAborted));
            var h = await Harness.StartAsync(NoSecrets, path: path);
            for (var i = 0; i < 5; i++)
            {
                h.Services.Outbox.Submit(Actions.Webhook(peer.BaseUrl));
            }

            await Wait.UntilAsync(() => !peer.Requests.IsEmpty, what: "delivery started");
            var sw = System.Diagnostics.Stopwatch.StartNew();
            await h.Services.StopAsync();
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3), $"stop took {sw.Elapsed}");
            Assert.Equal(5, h.Store.Pending());
            await h.DisposeAsync();
        }
        finally
        {
            TempDb.Delete(path);
        }
    }
}
