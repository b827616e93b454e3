namespace MqttRules.Mqtt;

/// <summary>
/// Passes items to <paramref name="target"/> in order without ever making the caller wait: the
/// usual call completes at once (the engine loop's queue has room); when one does not (the queue
/// is full, e.g. while the store cannot take writes), it and everything handed after it wait here,
/// in order, for a task of their own, so the caller (MQTT's receive loop, which also reads the
/// broker's PUBACKs and PINGRESPs) goes on reading. That is the queue MQTTnet kept for this, which
/// the direct hand-off (see <see cref="DirectPublishAdapter"/>) no longer passes through.
/// </summary>
internal sealed class OrderedHandOff<T>(Func<T, ValueTask> target, Action<Exception> failed)
{
    private readonly Lock gate = new();
    private readonly Queue<T> backlog = new();
    private Task? waiting;

    /// <summary>Items waiting for an earlier one the target has not taken yet.</summary>
    public int Backlog
    {
        get
        {
            lock (gate)
            {
                return backlog.Count;
            }
        }
    }

    public void Hand(T item)
    {
        lock (gate)
        {
            if (waiting is not null)
            {
                backlog.Enqueue(item);
                return;
            }

            waiting = Call(item);
            if (waiting is null)
            {
                return;
            }
        }

        _ = DrainAsync();
    }

    /// <summary>Waits for the target to take the item it is on, then hands it the next, until none waits.</summary>
    private async Task DrainAsync()
    {
        while (true)
        {
            Task current;
            lock (gate)
            {
                current = waiting!;
            }

            try
            {
                await current.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failed(ex);
            }

            lock (gate)
            {
                do
                {
                    if (!backlog.TryDequeue(out var next))
                    {
                        waiting = null;
                        return;
                    }

                    waiting = Call(next);
                }
                while (waiting is null);
            }
        }
    }

    /// <summary>Hands one item; null when the target took it at once.</summary>
    private Task? Call(T item)
    {
        try
        {
            var handed = target(item);
            return handed.IsCompletedSuccessfully ? null : handed.AsTask();
        }
        catch (Exception ex)
        {
            failed(ex);
            return null;
        }
    }
}
