using MqttRules.Mqtt;

namespace MqttRules.Presence;

/// <summary>The sending side: one task, retained values before events, waiting out lost connections.</summary>
internal sealed partial class PresencePublisher
{
    /// <summary>Sends until <paramref name="ct"/> is cancelled; after <see cref="Complete"/>, until nothing is left.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                if (Next() is { } item)
                {
                    await SendAsync(item.Topic, item.Payload, item.Retain, ct);
                }
                else if (!await wake.Reader.WaitToReadAsync(ct))
                {
                    return;
                }
                else
                {
                    wake.Reader.TryRead(out _);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>No more events: <see cref="RunAsync"/> ends once everything queued is sent.</summary>
    public void Complete()
    {
        events.Writer.TryComplete();
        wake.Writer.TryComplete();
    }

    /// <summary>Retained values first (state before news), then the oldest event.</summary>
    private (string Topic, byte[] Payload, bool Retain)? Next()
    {
        lock (gate)
        {
            if (pending.Count > 0)
            {
                var (topic, payload) = pending.GetAt(0);
                pending.RemoveAt(0);
                return (topic, payload, true);
            }
        }

        return events.Reader.TryRead(out var e) ? (e.Topic, e.Payload, false) : null;
    }

    /// <summary>QoS 1; waits out a lost connection and tries again; a publish the broker refuses is logged and dropped.</summary>
    private async Task SendAsync(string topic, byte[] payload, bool retain, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await publisher.WaitConnectedAsync(ct);
                await publisher.PublishAsync(topic, payload, 1, retain, ct);
                if (!retain)
                {
                    metrics?.EngineEventSent();
                }

                lock (gate)
                {
                    dropping = false;
                }

                return;
            }
            catch (MqttNotConnectedException)
            {
                await Task.Delay(RetryDelay, clock, ct);
            }
            catch (MqttPublishRefusedException ex)
            {
                PresenceLog.PublishRefused(logger, topic, ex.Message);
                return;
            }
        }
    }
}
