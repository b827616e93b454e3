namespace MqttRules.Mqtt;

/// <summary>
/// Proves that the broker has read what was written to the connection so far: TCP keeps order and
/// a broker handles one connection's packets in order, so the PINGRESP to a PINGREQ written after
/// a QoS 0 publish means the broker read the publish. Pings are coalesced: at most one is in
/// flight; every <see cref="WaitAsync"/> made before a ping was started completes with its
/// PINGRESP, those made while it is in flight wait for the next one, started as soon as the
/// current one returns. A failed ping fails everyone waiting for it.
/// With a <paramref name="linger"/>, the first wait after a quiet spell starts the ping only that
/// much later, so that the publishes of the next few milliseconds share it (at a steady rate a ping
/// per publish was a wake-up or two per alert); keep it well below the engine's group commit window,
/// so that the answer is there before the commit and the publishes need no journal row.
/// </summary>
internal sealed class PingBarrier(Func<CancellationToken, Task> ping, TimeSpan linger = default, TimeProvider? clock = null) : IDisposable
{
    private readonly Lock gate = new();
    private TaskCompletionSource? next;
    private bool pinging;
    private ITimer? timer;

    /// <summary>Completes once a ping written after this call was answered.</summary>
    public Task WaitAsync()
    {
        Task waiting;
        lock (gate)
        {
            next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting = next.Task;
            if (pinging)
            {
                return waiting;
            }

            pinging = true;
            if (linger > TimeSpan.Zero)
            {
                timer ??= (clock ?? TimeProvider.System).CreateTimer(static s => ((PingBarrier)s!).StartPinging(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                timer.Change(linger, Timeout.InfiniteTimeSpan);
                return waiting;
            }
        }

        StartPinging();
        return waiting;
    }

    public void Dispose() => timer?.Dispose();

    private void StartPinging() => _ = PingWhileWaitedForAsync();

    /// <summary>
    /// Pings while anyone waits. Who waits for the next ping is settled before this one's waiters
    /// are completed, so a wait that follows a completed one never joins a ping that left before it.
    /// </summary>
    private async Task PingWhileWaitedForAsync()
    {
        var current = Take();
        while (current is not null)
        {
            Exception? failure = null;
            try
            {
                await ping(CancellationToken.None);
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            var following = Take();
            if (failure is null)
            {
                current.TrySetResult();
            }
            else
            {
                current.TrySetException(failure);
            }

            current = following;
        }
    }

    /// <summary>The waiters for the ping about to be written; none: pinging ends.</summary>
    private TaskCompletionSource? Take()
    {
        lock (gate)
        {
            var taken = next;
            next = null;
            pinging = taken is not null;
            return taken;
        }
    }
}
