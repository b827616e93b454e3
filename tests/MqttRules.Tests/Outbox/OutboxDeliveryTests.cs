using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Actions.Delivery;
using MqttRules.Actions.Webhook;
using MqttRules.Diagnostics;
using MqttRules.Outbox;
using MqttRules.Rules;

namespace MqttRules.Tests.Outbox;

public class OutboxDeliveryTests
{
    /// <summary>How far the fake clock moves per step while a test waits for retries.</summary>
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task Deliver_TransientTwiceThenOk_DeliveredOnceAfterThreeAttempts()
    {
        var executor = new ScriptedExecutor(n => n <= 2 ? DeliveryResult.Transient("503") : DeliveryResult.Ok());
        await using var h = new Harness(executor);
        h.Sink.Submit(TestActions.Webhook("http://h/x"));

        await h.Clock.AdvanceUntilAsync(() => h.Metrics.ActionCount("webhook", "delivered") == 1, Step, "delivery");

        Assert.Equal(3, executor.Calls);
        Assert.Equal(0, h.Store.Pending());
    }

    [Fact]
    public async Task Deliver_ThrowsNetworkErrorThenOk_Delivered()
    {
        var executor = new ScriptedExecutor(n => n == 1 ? throw new HttpRequestException("connection refused") : DeliveryResult.Ok());
        await using var h = new Harness(executor);
        h.Sink.Submit(TestActions.Webhook("http://h/x"));

        await h.Clock.AdvanceUntilAsync(() => h.Store.Delivered() == 1, Step, "delivery");

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

        await h.Clock.AdvanceUntilAsync(() => h.Store.Delivered() == 1, Step, "delivery after reschedule");

        Assert.Equal(5, executor.Calls);
        Assert.True(h.Metrics.ActionCount("webhook", "retry") >= 1);
    }

    /// <summary>
    /// Issue 12: a row that waits for a later attempt is read again when that attempt is due, not at
    /// the next poll (here a minute: every retry would otherwise wait for it).
    /// </summary>
    [Fact]
    public async Task Deliver_RowWaitingForItsNextAttempt_TriedWhenDue_NotAtTheNextPoll()
    {
        var executor = new ScriptedExecutor(n => n <= 4 ? DeliveryResult.Transient("503") : DeliveryResult.Ok());
        var options = FastDelivery.Options with { PollInterval = TimeSpan.FromMinutes(1), RescheduleBase = TimeSpan.FromSeconds(10), RescheduleMax = TimeSpan.FromSeconds(10) };
        await using var h = new Harness(executor, options: options);
        h.Sink.Submit(TestActions.Webhook("http://h/x"));

        await h.Clock.AdvanceUntilAsync(() => h.Store.Delivered() == 1, Step, "delivery after three quick retries and a reschedule");

        // Three quick attempts, then two rounds each 10 s later: 20 s and a little (a poll a minute would have taken two).
        Assert.Equal(5, executor.Calls);
        var waited = h.Clock.GetUtcNow() - TestActions.T0;
        Assert.True(waited < TimeSpan.FromSeconds(25), $"delivered {waited.TotalSeconds:0.##} s after it was stored: the retries waited for polls");
    }

    [Fact]
    public async Task Deliver_HangingLane_OtherLaneNotDelayed()
    {
        var executor = new ScriptedExecutor((a, _) => a.As<WebhookAction>().Url!.Contains("dead", StringComparison.Ordinal) ? null : DeliveryResult.Ok());
        await using var h = new Harness(executor);
        h.Sink.Submit(TestActions.Webhook("http://dead.example/x"));
        await Wait.UntilAsync(() => executor.Calls == 1, what: "dead endpoint called");

        h.Sink.Submit(TestActions.Webhook("http://alive.example/x"));

        // The clock stands still: the dead endpoint hangs for good, the alive one cannot be waiting for it.
        await Wait.UntilAsync(() => h.Store.Delivered() == 1, what: "alive endpoint delivery while dead one hangs");
        Assert.Equal(1, h.Store.Pending());
    }

    [Fact]
    public async Task Stop_WhileDeliveryHangs_StopsQuicklyRowStaysPending()
    {
        var executor = new ScriptedExecutor((_, _) => null);
        var h = new Harness(executor);
        h.Sink.Submit(TestActions.Webhook("http://dead.example/x"));
        await Wait.UntilAsync(() => executor.Calls == 1, what: "call");

        // The delivery never ends; the stop does, once its timeout has passed on the clock.
        await h.Clock.AdvanceUntilDoneAsync(h.Delivery.StopAsync(), Step, "stop while the delivery hangs");

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

        // A row behind the delivered one in the same lane: once it is delivered, the delivered row had its chance to be sent again.
        await using var second = new Harness(executor, temp);
        second.Sink.Submit(TestActions.Webhook("http://h/y"));
        await Wait.UntilAsync(() => second.Store.Delivered() == 2, what: "delivery of the next row");

        Assert.Equal(2, executor.Calls);
        Assert.Equal(["http://h/x", "http://h/y"], executor.Seen.Select(a => a.As<MqttRules.Actions.Webhook.WebhookAction>().Url));
    }

    /// <summary>Slow retries: a row that waited for them would hold the rows behind it for seconds.</summary>
    private static readonly DeliveryOptions SlowRetries = FastDelivery.Options with { BaseDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromSeconds(5), RescheduleBase = TimeSpan.FromMinutes(1), RescheduleMax = TimeSpan.FromMinutes(1) };

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

        // The clock stands still: a row waiting for the failing row's retry would never be delivered.
        await Wait.UntilAsync(() => h.Store.Delivered() == 5, what: "the rows behind the failing one");
        Assert.Equal(1, h.Store.Pending());
        Assert.Equal(1, executor.Seen.Count(a => a.As<WebhookAction>().Url!.Contains("poison", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Deliver_ErrorRetryingCannotFix_DeadLetterAfterOneAttempt()
    {
        var executor = new ThrowingExecutor(new ArgumentException("the value cannot be encoded"));
        await using var h = new Harness(executor, options: SlowRetries);
        h.Sink.Submit(TestActions.Webhook("http://h/x"));

        await Wait.UntilAsync(() => h.Store.DeadLetters() == 1, what: "dead letter");
        Assert.Equal(1, executor.Calls);
        Assert.Equal(0, h.Store.Pending());
    }

    [Fact]
    public async Task Deliver_RateLimited_WholeLaneWaitsForTheReset()
    {
        var clock = new FakeTimeProvider(TestActions.T0);
        var reset = TestActions.T0.AddMinutes(10);
        var executor = new ScriptedExecutor((_, n) => n == 1 ? DeliveryResult.RateLimited("429", reset) : DeliveryResult.Ok()) { Clock = clock };
        await using var h = new Harness(executor, clock: clock);
        h.Sink.Submit(TestActions.Webhook("http://h/1"));
        await Wait.UntilAsync(() => executor.Calls == 1, what: "first call");

        h.Sink.Submit(TestActions.Webhook("http://h/2"));
        h.Sink.Submit(TestActions.Webhook("http://other/3"));

        await Wait.UntilAsync(() => h.Store.Delivered() == 1, what: "the other lane");
        Assert.Equal(2, h.Store.Pending());
        Assert.Equal(2, executor.Calls);

        // Every later attempt in the limited lane (h/1 again, h/2) waits for the reset on the clock.
        await h.Clock.AdvanceUntilAsync(() => h.Store.Delivered() == 3, TimeSpan.FromSeconds(30), "the lane after the reset");
        var afterLimit = executor.Attempts.Where(c => c.Url!.StartsWith("http://h/", StringComparison.Ordinal)).Skip(1).ToList();
        Assert.Equal(["http://h/1", "http://h/2"], afterLimit.Select(c => c.Url));
        Assert.All(afterLimit, c => Assert.True(c.At >= reset, $"{c.Url} tried at {c.At:O}, before the reset at {reset:O}"));
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
        await h.Clock.AdvanceUntilAsync(() => executor.Calls >= 2, TimeSpan.FromSeconds(1), "the next attempt");

        // The next attempt is the failed row again, when its retry is due; the rows behind it were not tried.
        Assert.All(executor.Urls, u => Assert.Equal("http://down/1", u));
        Assert.Equal(3, h.Store.Pending());
    }

    private sealed class ThrowingExecutor(Exception ex) : IActionExecutor
    {
        private int calls;

        public int Calls => Volatile.Read(ref calls);
        public ConcurrentQueue<string?> Urls { get; } = new();

        public Task<DeliveryResult> ExecuteAsync(RenderedAction action, CancellationToken cancellationToken)
        {
            Urls.Enqueue(action.As<MqttRules.Actions.Webhook.WebhookAction>().Url);
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

        /// <summary>Each call's URL and the time on <see cref="Clock"/>.</summary>
        public ConcurrentQueue<(string? Url, DateTimeOffset At)> Attempts { get; } = new();
        public TimeProvider Clock { get; init; } = TimeProvider.System;

        public async Task<DeliveryResult> ExecuteAsync(RenderedAction action, CancellationToken cancellationToken)
        {
            Seen.Enqueue(action);
            Attempts.Enqueue((action.As<MqttRules.Actions.Webhook.WebhookAction>().Url, Clock.GetUtcNow()));
            var result = script(action, Interlocked.Increment(ref calls));
            if (result is null)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return result!;
        }
    }

    /// <summary>Store + sink + delivery over a temp database, started, on a fake clock that only the test moves.</summary>
    internal sealed class Harness : IAsyncDisposable
    {
        private readonly TempDb? ownTemp;
        private readonly MqttRules.Storage.StateDatabase db;

        public Harness(IActionExecutor executor, TempDb? temp = null, DeliveryOptions? options = null, FakeTimeProvider? clock = null, ActionKind kind = ActionKind.Webhook)
        {
            ownTemp = temp is null ? new TempDb() : null;
            db = (temp ?? ownTemp!).Open();
            Clock = clock ?? new FakeTimeProvider(TestActions.T0);
            Store = new OutboxStore(db);
            Delivery = new OutboxDelivery(Store, new Dictionary<ActionKind, IActionExecutor> { [kind] = executor },
                options ?? FastDelivery.Options with { AttemptTimeout = TimeSpan.FromSeconds(30) }, Clock, NullLogger.Instance, Metrics);
            Sink = new OutboxSink(Store, Clock, NullLogger.Instance, Metrics, 50) { Enabled = new HashSet<ActionKind> { kind }, Stored = Delivery.Wake };
            Delivery.Start();
        }

        public FakeTimeProvider Clock { get; }
        public EngineMetrics Metrics { get; } = new();
        public OutboxStore Store { get; }
        public OutboxSink Sink { get; }
        public OutboxDelivery Delivery { get; }

        /// <summary>Stops delivery; a hanging attempt is given its stop timeout on the clock.</summary>
        public async ValueTask DisposeAsync()
        {
            await Clock.AdvanceUntilDoneAsync(Delivery.StopAsync(), TimeSpan.FromMilliseconds(100), "delivery stop");
            await Delivery.DisposeAsync();
            db.Dispose();
            ownTemp?.Dispose();
        }
    }
}
