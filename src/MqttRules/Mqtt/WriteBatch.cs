namespace MqttRules.Mqtt;

/// <summary>
/// Holds back the socket writes of broker connections made on this thread until the batch ends,
/// then writes each connection's pending bytes with one socket write. The engine loop opens one
/// around each evaluated batch, so the PUBACKs of a batch and the alerts it publishes leave
/// together. Nesting is allowed; only the outermost batch writes. Outside a batch every packet is
/// written as soon as it is complete. A batch must end on the thread it began on (no await inside).
/// </summary>
internal readonly struct WriteBatch : IDisposable
{
    [ThreadStatic]
    private static int depth;

    [ThreadStatic]
    private static List<BufferedChannel>? held;

    private readonly bool open;

    private WriteBatch(bool open) => this.open = open;

    public static WriteBatch Begin()
    {
        depth++;
        return new WriteBatch(open: true);
    }

    public void Dispose()
    {
        if (!open || --depth > 0 || held is not { Count: > 0 } channels)
        {
            return;
        }

        try
        {
            foreach (var channel in channels)
            {
                channel.FlushDeferred();
            }
        }
        finally
        {
            channels.Clear();
        }
    }

    /// <summary>True when a batch is open on this thread: <paramref name="channel"/> is written when it ends.</summary>
    internal static bool Defer(BufferedChannel channel)
    {
        if (depth == 0)
        {
            return false;
        }

        held ??= [];
        if (!held.Contains(channel))
        {
            held.Add(channel);
        }

        return true;
    }
}
