using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MqttRules.Engine;
using MqttRules.Mqtt;

namespace MqttRules.Hosting;

/// <summary>
/// The one thread of evaluation. The MQTT receive handler only queues messages here (so intake
/// never waits on rules); this loop evaluates them in batches, in order, runs timers when they are
/// due, saves state every second and at the end, and acknowledges a batch's QoS 1/2 messages only
/// once <see cref="Durability"/> has made durable everything they caused. While the store cannot
/// take writes, intake pauses and nothing is acknowledged until it can (retried with backoff).
/// </summary>
public sealed partial class EngineLoop
{
    public const int DefaultCapacity = 10_000;
    private const int Batch = 256;

    private readonly Channel<IncomingMessage> queue;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly TimeSpan flushInterval;
    private readonly List<Task> pendingAcks = [];
    private readonly List<IncomingMessage> evaluated = [];

    public EngineLoop(TimeProvider clock, ILogger logger, int capacity = DefaultCapacity, TimeSpan? flushInterval = null)
    {
        this.clock = clock;
        this.logger = logger;
        this.flushInterval = flushInterval ?? TimeSpan.FromSeconds(1);
        queue = Channel.CreateBounded<IncomingMessage>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Committed before each batch is acknowledged; null: acknowledged once evaluated.</summary>
    public IDurability? Durability { get; set; }

    /// <summary>First wait before writing again to a store that could not take a write; doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages received and not yet evaluated.</summary>
    public int Depth => queue.Reader.Count;

    /// <summary>Queues a message; waits only when the queue is full (the broker then holds what follows).</summary>
    public ValueTask EnqueueAsync(IncomingMessage message, CancellationToken ct = default) =>
        queue.Writer.TryWrite(message) ? ValueTask.CompletedTask : queue.Writer.WriteAsync(message, ct);

    /// <summary>Starts the engine and runs it until <paramref name="ct"/> is cancelled; saves state on the way out.</summary>
    public async Task RunAsync(RuleEngine engine, CancellationToken ct)
    {
        engine.Start();
        var lastFlush = clock.GetUtcNow();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                RunRequests(engine);
                var processed = 0;
                var reached = false;
                while (processed < Batch && !ct.IsCancellationRequested && queue.Reader.TryRead(out var message))
                {
                    reached |= Evaluate(engine, message);
                    evaluated.Add(message);
                    processed++;
                }

                var now = clock.GetUtcNow();
                if (reached)
                {
                    engine.Metrics.LastMessageEvaluated = now;
                }

                engine.AdvanceTo(now);
                if (now - lastFlush >= flushInterval)
                {
                    engine.FlushState();
                    lastFlush = now;
                }

                await CommitAsync(ct);
                await AcknowledgeEvaluatedAsync(ct);

                if (processed == 0)
                {
                    await WaitAsync(engine.NextDue, now, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            CancelRequests();
            engine.FlushState(final: true);
            Durability?.Commit();
        }
    }

    /// <summary>Commits the batch; while the store cannot take writes, waits and retries (one warning, one "recovered" line).</summary>
    private async Task CommitAsync(CancellationToken ct)
    {
        if (Durability is null || Durability.Commit())
        {
            return;
        }

        var since = clock.GetUtcNow();
        HostingLog.StoreFailing(logger, Durability.Problem);
        var delay = RetryDelay;
        do
        {
            await Task.Delay(delay, clock, ct);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
        while (!Durability.Commit());

        HostingLog.StoreRecovered(logger, (clock.GetUtcNow() - since).TotalSeconds);
    }

    private async Task AcknowledgeEvaluatedAsync(CancellationToken ct)
    {
        foreach (var message in evaluated)
        {
            Acknowledge(message, ct);
        }

        evaluated.Clear();
        await AcknowledgedAsync();
    }

    /// <summary>Evaluates one message; false when it reached no rule and no history topic.</summary>
    private bool Evaluate(RuleEngine engine, IncomingMessage message)
    {
        try
        {
            return engine.Process(message.Topic, message.Payload, message.Via);
        }
        catch (Exception ex)
        {
            LiveLog.MessageFailed(logger, ex, message.Topic);
            return true;
        }
    }

    /// <summary>
    /// Starts the acknowledgement of a committed message without waiting for it: PUBACK order does
    /// not matter in MQTT, and awaiting each send in turn made QoS 1 intake wait on a thread-pool
    /// round trip per message under load. <see cref="AcknowledgedAsync"/> waits for the batch.
    /// </summary>
    private void Acknowledge(IncomingMessage message, CancellationToken ct)
    {
        var ack = message.AcknowledgeAsync(ct);
        if (!ack.IsCompletedSuccessfully)
        {
            pendingAcks.Add(ack.AsTask());
        }
    }

    private async Task AcknowledgedAsync()
    {
        if (pendingAcks.Count == 0)
        {
            return;
        }

        try
        {
            await Task.WhenAll(pendingAcks);
        }
        finally
        {
            pendingAcks.Clear();
        }
    }

    /// <summary>Waits for the next message, the next timer, or the next state save, whichever comes first.</summary>
    private async Task WaitAsync(DateTimeOffset? due, DateTimeOffset now, CancellationToken ct)
    {
        var wait = flushInterval;
        if (due is { } d && d - now < wait)
        {
            wait = d - now;
        }

        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(wait, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await WaitForMessageOrRequestAsync(linked);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
    }
}
