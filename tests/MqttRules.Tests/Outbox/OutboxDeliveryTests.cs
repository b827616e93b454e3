using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using MqttRules.Actions;
using MqttRules.Actions.Delivery;
using MqttRules.Actions.Webhook;
using MqttRules.Diagnostics;
using MqttRules.Outbox;
using MqttRules.Rules;

namespace MqttRules.Tests.Outbox;

public class OutboxDeliveryTests
{
    internal static readonly DeliveryOptions Fast = new()
    {
        MaxAttempts = 3,
        BaseDelay = TimeSpan.FromMilliseconds(10),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromSeconds(2),
        RescheduleBase = TimeSpan.FromMilliseconds(100),
        RescheduleMax = TimeSpan.FromMilliseconds(200),
        PollInterval = TimeSpan.FromMilliseconds(20),
        StopTimeout = TimeSpan.FromMilliseconds(500),
    };

    [Fact]
    public async Task Deliver_TransientTwiceThenOk_DeliveredOnceAfterThreeAttempts()
    {
        var executor = new ScriptedExecutor(n => n <= 2 ? DeliveryResult.Transient("503") : DeliveryResult.Ok());
        await using var h = new Harness(executor);
        h.Sink.Submit(TestActions.Webhook("http://h/x"));

        await Wait.UntilAsync(() => h.Metrics.ActionCount("webhook", "delivered") == 1, what: "delivery");

        Assert.Equal(3, executor.Calls);
        Assert.Equal(0, h.Store.Pending());
    }

    [Fact]
    public async Task Deliver_ThrowsNetworkErrorThenOk_Delivered()
    {
        var executor = new ScriptedExecutor(n => n == 1 ? throw new HttpRequestException("connection refused") : DeliveryResult.Ok());
        await using var h = new Harness(executor);
        h.Sink.Submit(TestActions.Webhook("http://h/x"));

        await Wait.UntilAsync(() => h.Store.Delivered() == 1, what: "delivery");

        Assert.Equal(2, executor.Calls);
    }

    [Fact]
    public async Task Deliver_Final_DeadLetterOneAttempt()
    {
        var executor = new ScriptedExecutor(_ => DeliveryResult.Rejected("400 Bad Request"));
        await using var h = new Harness(executor);
        h.Sink.Submit(TestActions.Webhook("http://h/x"));

        await Wait.UntilAsync(() => h.Store.DeadLetters() == 1, what: "dead letter");

        Assert.Equal(1, executor.Calls);
        Assert.Equal(1, h.Metrics.ActionCount("webhook", "dead_letter"));
        Assert.Equal(0, h.Store.Pending());
    }

    [Fact]
    public async Task Deliver_AttemptsExhausted_RescheduledThenDeliveredLater()
    {
        var executor = new ScriptedExecutor(n => n <= 4 ? DeliveryResult.Transient("503") : DeliveryResult.Ok());
        await using var h = new Harness(executor);
        h.Sink.Submit(TestActions.Webhook("http://h/x"));

        await Wait.UntilAsync(() => h.Store.Delivered() == 1, what: "delivery after reschedule");

        Assert.Equal(5, executor.Calls);
        Assert.True(h.Metrics.ActionCount("webhook", "retry") >= 1);
    }

    [Fact]
    public async Task Deliver_HangingLane_OtherLaneNotDelayed()
    {
        var executor = new ScriptedExecutor((a, _) => a.As<WebhookAction>().Url!.Contains("dead", StringComparison.Ordinal) ? null : DeliveryResult.Ok());
        await using var h = new Harness(executor);
        h.Sink.Submit(TestActions.Webhook("http://dead.example/x"));
        await Wait.UntilAsync(() => executor.Calls == 1, what: "dead endpoint called");

        h.Sink.Submit(TestActions.Webhook("http://alive.example/x"));

        await Wait.UntilAsync(() => h.Store.Delivered() == 1, TimeSpan.FromSeconds(1), "alive endpoint delivery while dead one hangs");
        Assert.Equal(1, h.Store.Pending());
    }

    [Fact]
    public async Task Stop_WhileDeliveryHangs_StopsQuicklyRowStaysPending()
    {
        var executor = new ScriptedExecutor((_, _) => null);
        var h = new Harness(executor);
        h.Sink.Submit(TestActions.Webhook("http://dead.example/x"));
        await Wait.UntilAsync(() => executor.Calls == 1, what: "call");

        var sw = System.Diagnostics.Stopwatch.StartNew();
        await h.Delivery.StopAsync();

        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"stop took {sw.Elapsed}");
        Assert.Equal(1, h.Store.Pending());
        await h.DisposeAsync();
    }

    [Fact]
    public async Task Start_PendingRowsFromEarlierRun_Delivered()
    {
        using var temp = new TempDb();
        var action = TestActions.Webhook("http://h/x");
        using (var db = temp.Open())
        {
            new OutboxStore(db).Add(action, TestActions.T0);
        }

        var executor = new ScriptedExecutor(_ => DeliveryResult.Ok());
        await using var h = new Harness(executor, temp);

        await Wait.UntilAsync(() => h.Store.Delivered() == 1, what: "delivery of the earlier row");
        Assert.Equal(action.Id, Assert.Single(executor.Seen).Id);
    }

    [Fact]
    public async Task Start_AfterDelivered_NotRepeated()
    {
        using var temp = new TempDb();
        var executor = new ScriptedExecutor(_ => DeliveryResult.Ok());
        await using (var first = new Harness(executor, temp))
        {
            first.Sink.Submit(TestActions.Webhook("http://h/x"));
            await Wait.UntilAsync(() => first.Store.Delivered() == 1, what: "delivery");
        }

        await using var second = new Harness(executor, temp);
        await Task.Delay(200);

        Assert.Equal(1, executor.Calls);
    }

    /// <summary>Slow retries: a row that waited for them would hold the rows behind it for seconds.</summary>
    private static readonly DeliveryOptions SlowRetries = Fast with { BaseDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromSeconds(5), RescheduleBase = TimeSpan.FromMinutes(1), RescheduleMax = TimeSpan.FromMinutes(1) };

    [Fact]
    public async Task Deliver_FailingRowAheadInLane_RowsBehindDeliveredWithoutWaiting()
    {
        var executor = new ScriptedExecutor((a, _) => a.As<WebhookAction>().Url!.Contains("poison", StringComparison.Ordinal) ? DeliveryResult.Transient("500") : DeliveryResult.Ok());
        await using var h = new Harness(executor, options: SlowRetries);
        h.Sink.Submit(TestActions.Webhook("http://h/poison"));
        await Wait.UntilAsync(() => executor.Calls == 1, what: "first attempt of the failing row");

        for (var i = 0; i < 5; i++)
        {
            h.Sink.Submit(TestActions.Webhook($"http://h/ok/{i}"));
        }

        await Wait.UntilAsync(() => h.Store.Delivered() == 5, TimeSpan.FromSeconds(2), "the rows behind the failing one");
        Assert.Equal(1, h.Store.Pending());
        Assert.Equal(1, executor.Seen.Count(a => a.As<WebhookAction>().Url!.Contains("poison", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Deliver_ErrorRetryingCannotFix_DeadLetterAfterOneAttempt()
    {
        var executor = new ThrowingExecutor(new ArgumentException("the value cannot be encoded"));
        await using var h = new Harness(executor, options: SlowRetries);
        h.Sink.Submit(TestActions.Webhook("http://h/x"));

        await Wait.UntilAsync(() => h.Store.DeadLetters() == 1, TimeSpan.FromSeconds(3), "dead letter");
        Assert.Equal(1, executor.Calls);
        Assert.Equal(0, h.Store.Pending());
    }

    [Fact]
    public async Task Deliver_RateLimited_WholeLaneWaitsForTheReset()
    {
        var executor = new ScriptedExecutor((_, n) => n == 1 ? DeliveryResult.RateLimited("429", DateTimeOffset.UtcNow.AddMinutes(10)) : DeliveryResult.Ok());
        await using var h = new Harness(executor);
        h.Sink.Submit(TestActions.Webhook("http://h/1"));
        await Wait.UntilAsync(() => executor.Calls == 1, what: "first call");

        h.Sink.Submit(TestActions.Webhook("http://h/2"));
        h.Sink.Submit(TestActions.Webhook("http://other/3"));

        await Wait.UntilAsync(() => h.Store.Delivered() == 1, what: "the other lane");
        await Task.Delay(200);
        Assert.Equal(2, h.Store.Pending());
        Assert.Equal(2, executor.Calls);
    }

    [Fact]
    public async Task Deliver_PeerUnreachable_LaneWaitsForTheFailedRowInsteadOfTryingEveryRow()
    {
        var executor = new ThrowingExecutor(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));
        await using var h = new Harness(executor, options: SlowRetries);
        h.Sink.Submit(TestActions.Webhook("http://down/1"));
        await Wait.UntilAsync(() => executor.Calls == 1, what: "first attempt");

        h.Sink.Submit(TestActions.Webhook("http://down/2"));
        h.Sink.Submit(TestActions.Webhook("http://down/3"));
        await Task.Delay(200);

        Assert.Equal(1, executor.Calls);
        Assert.Equal(3, h.Store.Pending());
    }

    private sealed class ThrowingExecutor(Exception ex) : IActionExecutor
    {
        private int calls;

        public int Calls => Volatile.Read(ref calls);

        public Task<DeliveryResult> ExecuteAsync(RenderedAction action, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref calls);
            throw ex;
        }
    }

    /// <summary>An executor whose n-th call (1-based) returns the scripted result; null means hang until cancelled.</summary>
    internal sealed class ScriptedExecutor(Func<RenderedAction, int, DeliveryResult?> script) : IActionExecutor
    {
        private int calls;

        public ScriptedExecutor(Func<int, DeliveryResult> script)
            : this((_, n) => script(n))
        {
        }

        public int Calls => Volatile.Read(ref calls);
        public ConcurrentQueue<RenderedAction> Seen { get; } = new();

        public async Task<DeliveryResult> ExecuteAsync(RenderedAction action, CancellationToken cancellationToken)
        {
            Seen.Enqueue(action);
            var result = script(action, Interlocked.Increment(ref calls));
            if (result is null)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return result!;
        }
    }

    /// <summary>Store + sink + delivery over a temp database, started.</summary>
    internal sealed class Harness : IAsyncDisposable
    {
        private readonly TempDb? ownTemp;
        private readonly MqttRules.Storage.StateDatabase db;

        public Harness(IActionExecutor executor, TempDb? temp = null, DeliveryOptions? options = null)
        {
            ownTemp = temp is null ? new TempDb() : null;
            db = (temp ?? ownTemp!).Open();
            Store = new OutboxStore(db);
            Delivery = new OutboxDelivery(Store, new Dictionary<ActionKind, IActionExecutor> { [ActionKind.Webhook] = executor },
                options ?? Fast with { AttemptTimeout = TimeSpan.FromSeconds(30) }, TimeProvider.System, NullLogger.Instance, Metrics);
            Sink = new OutboxSink(Store, TimeProvider.System, NullLogger.Instance, Metrics, 50) { Stored = Delivery.Wake };
            Delivery.Start();
        }

        public EngineMetrics Metrics { get; } = new();
        public OutboxStore Store { get; }
        public OutboxSink Sink { get; }
        public OutboxDelivery Delivery { get; }

        public async ValueTask DisposeAsync()
        {
            await Delivery.DisposeAsync();
            db.Dispose();
            ownTemp?.Dispose();
        }
    }
}
