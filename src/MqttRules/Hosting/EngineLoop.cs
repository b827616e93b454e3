using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MqttRules.Engine;
using MqttRules.Mqtt;

namespace MqttRules.Hosting;

/// <summary>
/// The one thread of evaluation. The MQTT receive handler only queues messages here (so intake
/// never waits on rules); this loop evaluates them in batches, in order, runs timers when they are
/// due, saves state every second while some waits to be saved (an idle engine sleeps until its next
/// message or timer) and at the end, and acknowledges a batch's QoS 1/2 messages only
/// once <see cref="Durability"/> has made durable everything they caused (what QoS 0 messages cause
/// is made durable within <c>flushInterval</c>, see <see cref="CommitDue"/>). While the store cannot
/// take writes, intake pauses and nothing is acknowledged until it can (retried with backoff).
/// </summary>
internal sealed partial class EngineLoop
{
    public const int DefaultCapacity = 10_000;
    private const int Batch = 256;

    private readonly Channel<IncomingMessage> queue;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly TimeSpan flushInterval;
    private readonly List<Task> pendingAcks = [];
    private readonly List<IncomingMessage> evaluated = [];
    private readonly ITimer idleTimer;
    private readonly PreciseTimer groupTimer;
    private long groupStarted;
    private long lastArrival;  // when the latest message was evaluated (Stopwatch timestamp)
    private TimeSpan lastGap = TimeSpan.MaxValue; // and how long after the one before it
    private DateTimeOffset lastCommit;
    private int awaitingAck; // evaluated messages that wait for their acknowledgement (QoS 1/2)
    private readonly ConcurrentQueue<Action<RuleEngine>> requests = new();

    public EngineLoop(TimeProvider clock, ILogger logger, int capacity = DefaultCapacity, TimeSpan? flushInterval = null)
    {
        this.clock = clock;
        this.logger = logger;
        this.flushInterval = flushInterval ?? TimeSpan.FromSeconds(1);
        queue = Channel.CreateBounded<IncomingMessage>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false, // the receive handler, and the timers' wake-ups

            FullMode = BoundedChannelFullMode.Wait,

            // A message handed over while the loop waits for one is evaluated right there, on the
            // receive loop's thread, instead of waking a second thread for it (a context switch or two
            // per message at a steady rate). Wake-ups from timers and other threads go through the
            // thread pool (see Wake), so a timer thread never evaluates.
            AllowSynchronousContinuations = true,
        });

        // Waits end by a wake-up queued like a message, not by cancelling a token: no token source,
        // timer or exception per wait (see WaitAsync). The group commit's window is real time.
        idleTimer = clock.CreateTimer(static s => ((EngineLoop)s!).Wake(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        // Its own thread, which the loop goes on on when it fires (see PreciseTimer: .NET's timers
        // wake three or four times for a 5 ms wait on Linux).
        groupTimer = new PreciseTimer(() => queue.Writer.TryWrite(default), "MqttRules group commit");
    }

    /// <summary>Committed before each batch is acknowledged; null: acknowledged once evaluated.</summary>
    public IDurability? Durability { get; set; }

    /// <summary>First wait before writing again to a store that could not take a write; doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Group commit: when the queue runs dry after a batch, the commit (and the acknowledgement) waits
    /// up to this long, in real time, for more messages, which join the group. At a steady rate the
    /// batches are a message each, and each cost a transaction on the state file; waiting also lets
    /// the publishes they caused be confirmed by the broker (a round trip), so that they need no
    /// journal row. A group commits at once when it reaches <see cref="GroupLimit"/> messages. Zero:
    /// every batch commits at once.
    /// </summary>
    public TimeSpan CommitWindow { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Messages a group commit holds at most (below a broker's usual in-flight window of 100).</summary>
    public int GroupLimit { get; init; } = 64;

    /// <summary>
    /// Series that may wait for the second's commit (QoS 0 input): more are committed at once. Not
    /// smaller: each commit holds up the messages behind it for its length, and a commit of a few
    /// dozen rows every few milliseconds put more of them over 1 ms than one commit a second did.
    /// </summary>
    public int WaitingLimit { get; init; } = 1024;

    /// <summary>Messages received and not yet evaluated.</summary>
    public int Depth => queue.Reader.Count;

    /// <summary>Queues a message; waits only when the queue is full (the broker then holds what follows).</summary>
    public ValueTask EnqueueAsync(IncomingMessage message, CancellationToken ct = default) =>
        queue.Writer.TryWrite(message) ? ValueTask.CompletedTask : queue.Writer.WriteAsync(message, ct);

    /// <summary>
    /// Runs <paramref name="work"/> on the evaluation thread between two batches (a reader of engine
    /// state, such as <c>GET /api/rules</c>); an idle loop wakes for it at once. Never run when the loop has stopped.
    /// </summary>
    public void Post(Action<RuleEngine> work)
    {
        requests.Enqueue(work);
        Wake();
    }

    /// <summary>Starts the engine and runs it until <paramref name="ct"/> is cancelled; saves state on the way out.</summary>
    public async Task RunAsync(RuleEngine engine, CancellationToken ct)
    {
        engine.Start();
        var lastFlush = clock.GetUtcNow();
        lastCommit = lastFlush;
        using var stopping = ct.UnsafeRegister(static s => ((EngineLoop)s!).Wake(), this);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                int processed;
                DateTimeOffset now;
                var committed = false;
                var grouping = false;

                // The batch's acknowledgements and the publishes it caused leave in one socket write.
                using (WriteBatch.Begin())
                {
                    var held = evaluated.Count;
                    processed = EvaluateBatch(engine, ct);
                    now = clock.GetUtcNow();
                    engine.AdvanceTo(now);
                    while (requests.TryDequeue(out var request))
                    {
                        request(engine);
                    }

                    if (now - lastFlush >= flushInterval)
                    {
                        engine.FlushState();
                        lastFlush = now;
                    }

                    if (held == 0 && processed > 0)
                    {
                        groupStarted = TimeProvider.System.GetTimestamp();
                    }

                    grouping = Grouping(ct);
                    if (!grouping && CommitDue(engine, now, ct))
                    {
                        if (Durability is not null)
                        {
                            engine.FlushState(); // what changed since the last commit (see EngineOptions.SavesAtCommit)
                        }

                        committed = Durability is null || Durability.Commit();
                        if (committed)
                        {
                            lastCommit = now;
                            AcknowledgeEvaluated(ct);
                        }
                    }
                    else if (!grouping)
                    {
                        // Nothing waits for an acknowledgement: written with the next second's commit.
                        committed = true;
                        evaluated.Clear();
                    }
                }

                if (grouping)
                {
                    groupTimer.Change(CommitWindow - TimeProvider.System.GetElapsedTime(groupStarted));
                    await queue.Reader.WaitToReadAsync(CancellationToken.None);
                    continue;
                }

                if (!committed)
                {
                    await RetryCommitAsync(ct);
                    AcknowledgeEvaluated(ct);
                }

                await AcknowledgedAsync();

                if (processed == 0)
                {
                    await WaitAsync(engine.NextDue, now, engine.Settled && (Durability?.Settled ?? true));
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            engine.FlushState(final: true);
            Durability?.Commit();
            idleTimer.Dispose();
            groupTimer.Stop();
        }
    }

    /// <summary>Evaluates what is queued, up to a batch; the messages wait in <see cref="evaluated"/> for their acknowledgement.</summary>
    private int EvaluateBatch(RuleEngine engine, CancellationToken ct)
    {
        var processed = 0;
        var reached = false;
        while (processed < Batch && !ct.IsCancellationRequested && queue.Reader.TryRead(out var message))
        {
            if (message.Topic is null)
            {
                continue; // a wake-up (see Wake)
            }

            reached |= Evaluate(engine, message);
            evaluated.Add(message);
            awaitingAck += message.Qos > 0 ? 1 : 0;
            processed++;
        }

        if (processed > 0)
        {
            // Once per batch: messages that came together (a batch of several) came faster than any window.
            var arrived = TimeProvider.System.GetTimestamp();
            lastGap = processed > 1 ? TimeSpan.Zero : TimeProvider.System.GetElapsedTime(lastArrival, arrived);
            lastArrival = arrived;
        }

        if (reached)
        {
            engine.Metrics.LastMessageEvaluated = clock.GetUtcNow();
        }

        return processed;
    }

    /// <summary>The store cannot take writes: waits and retries until it can (one warning, one "recovered" line).</summary>
    private async Task RetryCommitAsync(CancellationToken ct)
    {
        var since = clock.GetUtcNow();
        HostingLog.StoreFailing(logger, Durability!.Problem);
        var delay = RetryDelay;
        do
        {
            await Task.Delay(delay, clock, ct);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
        while (!Durability.Commit());

        HostingLog.StoreRecovered(logger, (clock.GetUtcNow() - since).TotalSeconds);
    }

    private void AcknowledgeEvaluated(CancellationToken ct)
    {
        foreach (var message in evaluated)
        {
            Acknowledge(message, ct);
        }

        evaluated.Clear();
        awaitingAck = 0;
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

    /// <summary>
    /// Waits for the next message or the next timer; while something waits to be saved or committed
    /// (not <paramref name="settled"/>) also for the next state save. A settled, idle engine arms no
    /// timer at all unless a rule's timer is due.
    /// </summary>
    private async Task WaitAsync(DateTimeOffset? due, DateTimeOffset now, bool settled)
    {
        TimeSpan? wait = settled ? null : flushInterval;
        if (due is { } d && (wait is null || d - now < wait))
        {
            wait = d - now;
        }

        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        idleTimer.Change(wait is { } w ? WholeMilliseconds(w) : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        await queue.Reader.WaitToReadAsync(CancellationToken.None);
    }

    /// <summary>
    /// Ends a wait: queues an empty message, which the loop skips, from a thread-pool thread (the loop
    /// goes on on the thread that queues it: never a timer's or a caller's thread). A timer that fires
    /// after the wait already ended costs one extra turn of the loop. The queue being full means there
    /// is work anyway.
    /// </summary>
    private void Wake() => ThreadPool.UnsafeQueueUserWorkItem(static loop => loop.queue.Writer.TryWrite(default), this, preferLocal: false);

    /// <summary>
    /// Whether to commit now: a message waits for its acknowledgement (QoS 1/2), or the last commit
    /// is <see cref="flushInterval"/> old, or <see cref="WaitingLimit"/> series wait to be written (a
    /// commit of thousands at once held up the messages behind it), or the loop stops. What QoS 0 messages changed (they are
    /// never acknowledged, so the broker would not send them again anyway) is otherwise written
    /// with the next second's commit, as rule state that changes without a message is: at a house's
    /// rate, a commit per message cost more than everything else the message caused.
    /// </summary>
    private bool CommitDue(RuleEngine engine, DateTimeOffset now, CancellationToken ct) =>
        Durability is null || awaitingAck > 0 || now - lastCommit >= flushInterval || ct.IsCancellationRequested
        || Durability.Waiting + engine.UnsavedSeries >= WaitingLimit;

    /// <summary>
    /// Whether the evaluated messages wait for more to commit with (see <see cref="CommitWindow"/>).
    /// Only messages that wait for their acknowledgement, and only while messages come at least once
    /// per window: at a slower rate another message would not join the group, and waiting would only
    /// delay the acknowledgement (and wake a thread to commit). A group whose window is over, met on
    /// the connection's reading thread, also waits: the group timer (armed to fire at once) commits
    /// it on its own thread. A commit on the reading thread stops the reading for its length, and at
    /// 2,000 msg/s with 100 rules that set p99 at 1.8–2.1 ms instead of 0.6–0.9 (docs/benchmarks-live.md).
    /// </summary>
    private bool Grouping(CancellationToken ct)
    {
        if (Durability is null || awaitingAck == 0 || lastGap >= CommitWindow || ct.IsCancellationRequested)
        {
            return false;
        }

        var open = evaluated.Count < GroupLimit && queue.Reader.Count == 0
            && TimeProvider.System.GetElapsedTime(groupStarted) < CommitWindow - TimeSpan.FromMilliseconds(1);
        return open || Mqtt.SocketChannel.OnReadingThread;
    }

    /// <summary>Timers count whole milliseconds: rounded up, so that a wait never ends before it is over (and turns again).</summary>
    private static TimeSpan WholeMilliseconds(TimeSpan t) => TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(t.TotalMilliseconds)));
}
