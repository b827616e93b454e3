namespace MqttRules.Mqtt;

/// <summary>
/// Proves that the broker has read what was written to the connection so far: TCP keeps order and
/// a broker handles one connection's packets in order, so the PINGRESP to a PINGREQ written after
/// a QoS 0 publish means the broker read the publish. Pings are gathered: the first
/// <see cref="WaitAsync"/> after a quiet spell arms a wait of <paramref name="gather"/>, and one ping
/// written when it ends answers everyone who came meanwhile; at most one ping is in flight, and
/// those who came while it was wait for the next gathering. A failed ping fails everyone waiting for
/// it. The waiters go on on the thread that received the PINGRESP (no second hand-off: finishing a
/// QoS 0 publish is a few counters).
/// <para>Why gather: a ping per alert cost the engine a wake-up for its PINGRESP, and the broker a
/// packet each way; at 2,000 msg/s with an alert on every other message that was ~14 µs of the
/// engine's CPU per message (docs/benchmarks-live.md). A later proof only makes a publish count as
/// delivered later: one not proved when the engine saves its state is journaled and, after a crash,
/// sent again; never lost.</para>
/// </summary>
internal sealed class PingBarrier
{
    /// <summary>How long the first waiter waits for others before the ping is written.</summary>
    public static readonly TimeSpan DefaultGather = TimeSpan.FromMilliseconds(50);

    private readonly Func<CancellationToken, Task> ping;
    private readonly TimeSpan gather;
    private readonly ITimer? timer;
    private readonly Lock gate = new();
    private TaskCompletionSource? next;
    private bool pinging; // a ping is being gathered for (the timer armed) or in flight

    /// <param name="ping">Writes a PINGREQ; completes with its PINGRESP.</param>
    /// <param name="gather">Zero: the ping is written at once.</param>
    /// <param name="time">The gathering's clock (the system's by default).</param>
    public PingBarrier(Func<CancellationToken, Task> ping, TimeSpan gather = default, TimeProvider? time = null)
    {
        this.ping = ping;
        this.gather = gather;
        if (gather > TimeSpan.Zero)
        {
            timer = (time ?? TimeProvider.System).CreateTimer(static s => _ = ((PingBarrier)s!).PingWhileWaitedForAsync(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Completes once a ping written after this call was answered.</summary>
    public Task WaitAsync()
    {
        Task waiting;
        lock (gate)
        {
            next ??= new TaskCompletionSource();
            waiting = next.Task;
            if (pinging)
            {
                return waiting;
            }

            pinging = true;
            if (timer is not null)
            {
                timer.Change(gather, Timeout.InfiniteTimeSpan);
                return waiting;
            }
        }

        _ = PingWhileWaitedForAsync();
        return waiting;
    }

    private async Task PingWhileWaitedForAsync()
    {
        while (true)
        {
            TaskCompletionSource current;
            lock (gate)
            {
                current = next!;
                next = null;
            }

            try
            {
                await ping(CancellationToken.None);
                current.TrySetResult();
            }
            catch (Exception ex)
            {
                current.TrySetException(ex);
            }

            lock (gate)
            {
                if (next is null)
                {
                    pinging = false;
                    return;
                }

                if (timer is not null)
                {
                    // Those who came during the ping: the next gathering.
                    timer.Change(gather, Timeout.InfiniteTimeSpan);
                    return;
                }
            }
        }
    }
}
