using MqttRules.Mqtt;
using MqttRules.Presence;

namespace MqttRules.Hosting;

/// <summary>
/// The engine's presence on the broker: <c>P/status</c> (the connection's Last Will, set in
/// <see cref="Compose"/>), and when configured engine events, firing states and Home Assistant
/// discovery. A dry run claims none of it: the live engine's topics stay its own.
/// </summary>
internal sealed partial class HostRun
{
    /// <summary>The publisher of events, firing states and discovery; null when none is configured (or a dry run).</summary>
    private PresencePublisher? ComposePresence(MqttConnection conn)
    {
        if (options.DryRun)
        {
            return null;
        }

        var settings = options.Presence ?? new PresenceSettings();
        var topics = new PresenceTopics(broker.TopicPrefix);
        var extras = (settings.Events ? ", events" : "") + (settings.Firing ? ", firing states" : "")
            + (settings.HaDiscovery ? $", Home Assistant discovery under {settings.HaDiscoveryPrefix}/" : "");
        PresenceLog.Started(log, topics.Status, extras);
        if (!settings.Firing)
        {
            return null;
        }

        var publisher = new PresencePublisher(settings, topics, broker.ClientId, conn, options.Loggers.CreateLogger("MqttRules.Presence"), options.Clock, options.Metrics);
        conn.AfterConnect = publisher.Reconnected;
        publisher.Rules(rules.Rules.Select(r => r.Id));
        return publisher;
    }

    /// <summary>On stop, what is still queued may take this long, before the connection says offline (the whole stop stays within 10 s).</summary>
    public static readonly TimeSpan PresenceDrainTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Sends on its own task; on stop, what is queued gets <see cref="PresenceDrainTimeout"/>.</summary>
    private Task<Func<Task>?> StartPresenceAsync()
    {
        if (presence is not { } p)
        {
            return Task.FromResult<Func<Task>?>(null);
        }

        var running = p.RunAsync(stopPresence.Token);
        return Task.FromResult<Func<Task>?>(async () =>
        {
            p.Complete();
            try
            {
                await running.WaitAsync(PresenceDrainTimeout, options.Clock, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                await stopPresence.CancelAsync();
                await running;
            }
        });
    }
}
