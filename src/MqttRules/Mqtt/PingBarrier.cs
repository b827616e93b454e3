namespace MqttRules.Mqtt;

/// <summary>
/// Proves that the broker has read what was written to the connection so far: TCP keeps order and
/// a broker handles one connection's packets in order, so the PINGRESP to a PINGREQ written after
/// a QoS 0 publish means the broker read the publish. Pings are coalesced: at most one is in
/// flight; every <see cref="WaitAsync"/> made before a ping was started completes with its
/// PINGRESP, those made while it is in flight wait for the next one, started as soon as the
/// current one returns. A failed ping fails everyone waiting for it. The waiters go on on the thread
/// that received the PINGRESP (no second hand-off: finishing a QoS 0 publish is a few counters).
/// </summary>
internal sealed class PingBarrier(Func<CancellationToken, Task> ping)
{
    private readonly Lock gate = new();
    private TaskCompletionSource? next;
    private bool pinging;

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
                if (next is null)
                {
                    pinging = false;
                    return;
                }

                current = next;
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
        }
    }
}
