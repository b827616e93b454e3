using MqttRules.Rules;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MqttRules.Actions;
using MqttRules.Actions.Delivery;
using MqttRules.Diagnostics;
using Polly;

namespace MqttRules.Outbox;

/// <summary>
/// Delivers stored actions in the background. A dispatcher reads due rows and hands each to its
/// lane (one per kind, one per webhook host); lanes run independently, so a slow or dead endpoint
/// delays only its own lane. Within a lane a row that waits for its retry never holds back the rows
/// behind it (only a peer's rate limit or an unreachable peer pauses the whole lane); an error that retrying cannot fix goes
/// to the dead letters at once. Rows survive restarts: whatever is pending at start is delivered.
/// </summary>
internal sealed class OutboxDelivery : IAsyncDisposable
{
    private readonly OutboxStore store;
    private readonly IReadOnlyDictionary<ActionKind, IActionExecutor> executors;
    private readonly Dictionary<ActionKind, ResiliencePipeline<DeliveryResult>> pipelines;
    private readonly DeliveryOptions options;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly EngineMetrics metrics;
    private readonly ConcurrentDictionary<string, byte> inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, OutboxLane> lanes = new(StringComparer.Ordinal);
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private CancellationTokenSource? draining;
    private CancellationTokenSource? aborting;
    private volatile bool stopRequested;
    private Task? loop;

    public OutboxDelivery(OutboxStore store, IReadOnlyDictionary<ActionKind, IActionExecutor> executors, DeliveryOptions options,
        TimeProvider clock, ILogger logger, EngineMetrics metrics)
    {
        this.store = store;
        this.executors = executors;
        this.options = options;
        this.clock = clock;
        this.logger = logger;
        this.metrics = metrics;
        pipelines = executors.Keys.ToDictionary(k => k, _ => DeliveryPipelines.Create(options, clock));
    }

    /// <summary>Asks the dispatcher to look for due rows now.</summary>
    public void Wake() => wake.Writer.TryWrite(true);

    public void Start()
    {
        if (loop is not null)
        {
            return;
        }

        store.Prune(clock.GetUtcNow(), options.KeepDelivered);
        var pending = store.Pending();
        if (pending > 0)
        {
            OutboxLog.Resuming(logger, pending);
        }

        draining = new CancellationTokenSource();
        aborting = new CancellationTokenSource();
        loop = Task.Run(() => DispatchAsync(draining.Token));
    }

    /// <summary>
    /// Graceful stop: no new deliveries start and no retries are made; attempts in flight get up to
    /// <see cref="DeliveryOptions.StopTimeout"/> to finish, then are cancelled. Rows not delivered stay pending.
    /// </summary>
    public async Task StopAsync()
    {
        if (draining is null || aborting is null || loop is null)
        {
            return;
        }

        stopRequested = true;
        await draining.CancelAsync();
        var all = Task.WhenAll(lanes.Values.Select(l => l.Worker).Append(loop));
        try
        {
            await all.WaitAsync(options.StopTimeout, clock);
        }
        catch (TimeoutException)
        {
            OutboxLog.StopTimedOut(logger, options.StopTimeout);
            await aborting.CancelAsync();
            try
            {
                await all.WaitAsync(TimeSpan.FromSeconds(2), clock);
            }
            catch (TimeoutException)
            {
            }
        }

        loop = null;
        lanes.Clear();
        inFlight.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        draining?.Dispose();
        aborting?.Dispose();
    }

    internal DateTimeOffset Now => clock.GetUtcNow();

    internal void Release(string id) => inFlight.TryRemove(id, out _);

    internal void LaneFailed(Exception ex) => OutboxLog.LoopFailed(logger, ex);

    private async Task DispatchAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                Dispatch(clock.GetUtcNow(), ct);
                await WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                OutboxLog.LoopFailed(logger, ex);
                try
                {
                    await Task.Delay(options.PollInterval, clock, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Dispatch(DateTimeOffset now, CancellationToken ct)
    {
        foreach (var row in store.Due(now, 1000))
        {
            var lane = lanes.GetOrAdd(row.Lane, _ => new OutboxLane(this, ct, aborting!.Token));
            if (lane.BlockedUntil > now || !inFlight.TryAdd(row.Id, 0))
            {
                continue;
            }

            lane.Queue.Writer.TryWrite(row);
        }
    }

    /// <summary>
    /// Waits for a wake-up (a stored action, a lane that finished its rows) or for the next row or lane
    /// that becomes due, whichever comes first, and at least every <see cref="DeliveryOptions.PollInterval"/>.
    /// </summary>
    private async Task WaitAsync(CancellationToken ct)
    {
        var delay = NextLook(clock.GetUtcNow());
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var signal = wake.Reader.WaitToReadAsync(cts.Token).AsTask();
        if (delay is { } d)
        {
            await Task.WhenAny(signal, Task.Delay(d, clock, cts.Token));
        }
        else
        {
            await Task.WhenAny(signal);
        }

        await cts.CancelAsync();
        wake.Reader.TryRead(out _);
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>How long until the store must be read again without a wake-up: the next due row or lane, at most <see cref="DeliveryOptions.PollInterval"/>.</summary>
    private TimeSpan? NextLook(DateTimeOffset now)
    {
        if (!store.Writable)
        {
            return options.PollInterval;
        }

        DateTimeOffset? next = store.NextAttempt(now);
        foreach (var lane in lanes.Values)
        {
            if (lane.BlockedUntil > now && (next is null || lane.BlockedUntil < next))
            {
                next = lane.BlockedUntil;
            }
        }

        // At most PollInterval, always: the event-driven wait without it (no timer when nothing was
        // scheduled) left retries waiting past their time in a unit test under load and in two
        // integration runs, a missed wake-up not found yet; the poll is what guarantees delivery.
        return next is { } n ? TimeSpan.FromTicks(Math.Clamp((n - now).Ticks, TimeSpan.TicksPerMillisecond, options.PollInterval.Ticks))
            : options.PollInterval;
    }

    internal async Task DeliverAsync(OutboxLane lane, OutboxRow row, CancellationToken ct)
    {
        var action = row.Action();
        if (action is null || !executors.TryGetValue(action.Kind, out var executor))
        {
            var why = action is null ? "the stored action cannot be read" : $"no {row.Kind} executor is configured";
            Finish(lane, row, action, DeliveryResult.Rejected(why), row.Attempts + 1);
            return;
        }

        DeliveryResult result;
        try
        {
            result = await pipelines[action.Kind].ExecuteAsync(async token => await executor.ExecuteAsync(action, token), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            var detail = $"{ex.GetType().Name}: {ex.Message}";
            result = DeliveryPipelines.IsPermanent(ex) ? DeliveryResult.Rejected(detail)
                : DeliveryResult.Transient(detail) with { HoldsLane = DeliveryPipelines.IsUnreachable(ex) };
        }

        Finish(lane, row, action, result, row.Attempts + 1);
    }

    /// <summary>
    /// Gives the row up; an alert of a notifier with channels left goes to the next one that takes it
    /// (stored in the same transaction), so it is delivered once, by one channel.
    /// </summary>
    private void DeadLetter(OutboxRow row, RenderedAction? action, int attempts, string error, DateTimeOffset now)
    {
        var (ruleId, series) = (action?.RuleId ?? "?", action?.Series);
        metrics.Action(row.Kind, "dead_letter");
        OutboxLog.DeadLettered(logger, ruleId, series, row.Kind, error);
        if (action?.NextChannel() is not ExternalAction next)
        {
            store.DeadLetter(WithoutSecrets(row, action), attempts, error, now);
            return;
        }

        var taken = store.DeadLetterAndFallThrough(WithoutSecrets(row, action), attempts, error, now, next, options.TweetBudget);
        metrics.Action(row.Kind, "fell_through");
        FallbackLog.FellThrough(logger, ruleId, series, action.Notifier, row.Kind, error, taken?.KindText ?? "no channel (every one left is over its budget)");
        Wake();
    }

    private void Finish(OutboxLane lane, OutboxRow row, RenderedAction? action, DeliveryResult result, int attempts)
    {
        var now = clock.GetUtcNow();
        var (ruleId, series) = (action?.RuleId ?? "?", action?.Series);
        switch (result.Outcome)
        {
            case DeliveryOutcome.Delivered:
                store.MarkDelivered(row.Id, now);
                metrics.Action(row.Kind, "delivered");
                OutboxLog.Delivered(logger, ruleId, series, row.Kind, result.Detail);
                break;
            case DeliveryOutcome.Final:
                DeadLetter(row, action, attempts, result.Detail, now);
                break;
            case DeliveryOutcome.Retry when stopRequested:
                break;
            case DeliveryOutcome.Retry when attempts >= options.MaxAttempts && action?.Fallbacks is { Length: > 0 }:
                DeadLetter(row, action, attempts, $"retries exhausted after {attempts} attempts: {result.Detail}", now);
                break;
            default:
                var next = DeliveryPipelines.NextAttempt(result, attempts, now, options, Random.Shared.NextDouble());
                store.Reschedule(row, attempts, next, result.Detail);
                if (result.HoldsLane)
                {
                    store.HoldLane(row.Lane, next);
                    lane.BlockedUntil = next;
                }

                metrics.Action(row.Kind, "retry");
                OutboxLog.Rescheduled(logger, ruleId, series, row.Kind, result.Detail, attempts, next);
                break;
        }
    }

    /// <summary>The row as the dead letters keep it: a credential the action carries (a chat webhook URL) masked.</summary>
    private static OutboxRow WithoutSecrets(OutboxRow row, RenderedAction? action) =>
        action is ExternalAction external && external.WithoutSecrets() is var clean && !ReferenceEquals(clean, external)
            ? row with { ActionJson = OutboxJson.Write(clean) }
            : row;
}
