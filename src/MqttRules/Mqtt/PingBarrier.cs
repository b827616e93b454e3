namespace MqttRules.Mqtt;

/// <summary>
/// Proves that the broker has read what was written to the connection so far: TCP keeps order and
/// a broker handles one connection's packets in order, so the PINGRESP to a PINGREQ written after
/// a QoS 0 publish means the broker read the publish. A failed ping fails everyone waiting for it.
/// The waiters go on on the thread that received the PINGRESP (no second hand-off: finishing a
/// QoS 0 publish is a few counters). At most one ping is in flight.
/// <para>Without a <c>gather</c> window, a ping leaves at once for the first waiter, and those who come
/// while it is out get the next one, written as soon as it returns: one ping per round trip.</para>
/// <para>With one (the live connection's), pings ride along: a waiter more than <c>gather</c> after
/// the last ping was written gets a ping at once (written right after its publish, so both usually
/// leave in one segment), and covers everyone who came since; those in between wait for it, unless
/// they are <see cref="Enough"/> (a flood) or their publisher says it makes no other meanwhile
/// (<see cref="Hurry"/>). When nobody comes to take them along, a timer pings for them within <c>latest</c>. At a steady rate
/// that is one ping per window and no timer: a ping per alert cost the engine a wake-up for its
/// PINGRESP, and the broker a packet each way, ~14 µs of the engine's CPU per message at 2,000
/// msg/s (docs/benchmarks-live.md). A later proof only makes a publish count as delivered later: one
/// not proved when the engine saves its state is journaled and, after a crash, sent again; never lost.</para>
/// </summary>
internal sealed class PingBarrier
{
    /// <summary>The live connection's: a ping at most every 50 ms while publishes come.</summary>
    public static readonly TimeSpan DefaultGather = TimeSpan.FromMilliseconds(50);

    /// <summary>The live connection's: a publish nobody takes along is proved within a second.</summary>
    public static readonly TimeSpan DefaultLatest = TimeSpan.FromSeconds(1);

    /// <summary>
    /// With a window, this many waiters get a ping at once, window or not: in a flood the publisher
    /// stops sending when too many publishes wait for their proof (its window), so nobody would come
    /// to take them along.
    /// </summary>
    public const int Enough = 64;

    private readonly Func<CancellationToken, Task> ping;
    private readonly TimeSpan gather;
    private readonly TimeSpan latest;
    private readonly TimeProvider clock;
    private readonly ITimer? timer;
    private readonly Lock gate = new();

    // Under gate: the waiters no written ping covers yet; whether a ping is in flight; when the
    // last one was written (timestamp); whether the timer runs.
    private TaskCompletionSource? next;
    private int waiting; // how many wait for next
    private bool hurry; // the next ping leaves at once (see Hurry)
    private bool inFlight;
    private long lastPing;
    private bool timerArmed;

    /// <param name="ping">Writes a PINGREQ; completes with its PINGRESP.</param>
    /// <param name="gather">Zero: a ping per round trip (see the summary).</param>
    /// <param name="latest">With a <paramref name="gather"/> window: how long a waiter may wait for one to take it along.</param>
    /// <param name="time">The windows' clock (the system's by default).</param>
    public PingBarrier(Func<CancellationToken, Task> ping, TimeSpan gather = default, TimeSpan latest = default, TimeProvider? time = null)
    {
        this.ping = ping;
        this.gather = gather;
        this.latest = latest > TimeSpan.Zero ? latest : DefaultLatest;
        clock = time ?? TimeProvider.System;
        if (gather > TimeSpan.Zero)
        {
            lastPing = clock.GetTimestamp() - (long)(gather.TotalSeconds * clock.TimestampFrequency);
            timer = clock.CreateTimer(static s => ((PingBarrier)s!).TimerDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Completes once a ping written after this call was answered.</summary>
    public Task WaitAsync()
    {
        TaskCompletionSource? covered;
        lock (gate)
        {
            next ??= new TaskCompletionSource();
            waiting++;
            covered = StartIf(Due());
            if (covered is null)
            {
                ArmTimer();
                return next!.Task;
            }
        }

        _ = PingAsync(covered);
        return covered.Task;
    }

    /// <summary>
    /// The waiters (and one who comes before the next ping) get a ping at once, window or not, or
    /// right after the one in flight: their publisher makes no other publish meanwhile, so nobody
    /// would take them along (a publish sent again alone after a reconnection waited for the timer:
    /// one per second).
    /// </summary>
    public void Hurry()
    {
        TaskCompletionSource? covered;
        lock (gate)
        {
            hurry = true;
            covered = StartIf(true);
        }

        if (covered is not null)
        {
            _ = PingAsync(covered);
        }
    }

    /// <summary>The timer: pings for the waiters nobody took along; stops once nobody waits.</summary>
    private void TimerDue()
    {
        TaskCompletionSource? covered;
        lock (gate)
        {
            if (!inFlight && next is null)
            {
                timerArmed = false;
                timer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                return;
            }

            covered = StartIf(true);
        }

        if (covered is not null)
        {
            _ = PingAsync(covered);
        }
    }

    private void ArmTimer()
    {
        if (timer is not null && !timerArmed)
        {
            timerArmed = true;
            timer.Change(latest, latest);
        }
    }

    /// <summary>Under gate: whether those waiting get a ping now (no window, or it is over, or they are <see cref="Enough"/>).</summary>
    private bool Due() => timer is null || hurry || waiting >= Enough || clock.GetElapsedTime(lastPing) >= gather;

    /// <summary>
    /// Under gate: a ping leaves now for everyone waiting, when somebody waits, none is in flight and
    /// <paramref name="due"/>; null otherwise.
    /// </summary>
    private TaskCompletionSource? StartIf(bool due) => !inFlight && next is not null && due ? Start() : null;

    /// <summary>Under gate: a ping leaves now for everyone waiting.</summary>
    private TaskCompletionSource Start()
    {
        inFlight = true;
        lastPing = clock.GetTimestamp();
        var covered = next!;
        next = null;
        waiting = 0;
        hurry = false;
        return covered;
    }

    private async Task PingAsync(TaskCompletionSource? covered)
    {
        while (covered is not null)
        {
            try
            {
                await ping(CancellationToken.None);
                covered.TrySetResult();
            }
            catch (Exception ex)
            {
                covered.TrySetException(ex);
            }

            lock (gate)
            {
                // With a window, those who came meanwhile may wait for the next publish or the timer.
                inFlight = false;
                covered = StartIf(Due());
            }
        }
    }
}
