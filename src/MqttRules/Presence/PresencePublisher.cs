using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MqttRules.Engine;
using MqttRules.Mqtt;

namespace MqttRules.Presence;

/// <summary>
/// Publishes what the engine says about itself, on its own task through the broker connection
/// (<see cref="IMqttPublisher"/>), never in the engine's way: <see cref="Publish"/> and
/// <see cref="FiringChanged"/> only queue. Retained state (firing topics, discovery configs) is kept
/// by topic, latest value wins, and is sent again after every reconnect (a restarted broker may have
/// lost it); events (QoS 1, not retained) wait in a bounded queue while the broker is away, and past
/// <see cref="EventCapacity"/> new ones are dropped and logged, never the engine's own actions.
/// </summary>
internal sealed partial class PresencePublisher : IEngineEvents
{
    public const int EventCapacity = 10_000;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly PresenceSettings settings;
    private readonly PresenceTopics topics;
    private readonly HaDiscovery? discovery;
    private readonly IMqttPublisher publisher;
    private readonly ILogger logger;
    private readonly TimeProvider clock;
    private readonly Diagnostics.EngineMetrics? metrics;
    private readonly Channel<(string Topic, byte[] Payload)> events =
        Channel.CreateBounded<(string, byte[])>(new BoundedChannelOptions(EventCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock gate = new();

    // Under gate: every retained value in force (sent again after a reconnect), those not sent yet, the rules announced.
    private readonly Dictionary<string, byte[]> retained = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, byte[]> pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> rules = new(StringComparer.Ordinal);
    private bool dropping;
    private bool connectedBefore;

    public PresencePublisher(PresenceSettings settings, PresenceTopics topics, string clientId, IMqttPublisher publisher, ILogger logger, TimeProvider clock,
        Diagnostics.EngineMetrics? metrics = null)
    {
        this.metrics = metrics;
        this.settings = settings;
        this.topics = topics;
        this.publisher = publisher;
        this.logger = logger;
        this.clock = clock;
        discovery = settings.HaDiscovery ? new HaDiscovery(settings.HaDiscoveryPrefix, topics, clientId) : null;
    }

    /// <summary>How many events were dropped because the queue was full.</summary>
    public long Dropped { get; private set; }

    /// <summary>Retained values and events not sent yet.</summary>
    public int Backlog
    {
        get
        {
            lock (gate)
            {
                return pending.Count + events.Reader.Count;
            }
        }
    }

    /// <summary>Queues <c>P/events/&lt;rule&gt;</c> (when <see cref="PresenceSettings.Events"/>); the one method for every kind of event.</summary>
    public void Publish(EngineEvent engineEvent)
    {
        if (!settings.Events)
        {
            return;
        }

        if (events.Writer.TryWrite((topics.Events(engineEvent.RuleId), EngineEventJson.Write(engineEvent))))
        {
            wake.Writer.TryWrite(true);
            return;
        }

        metrics?.EngineEventDropped();
        lock (gate)
        {
            Dropped++;
            if (dropping)
            {
                return;
            }

            dropping = true;
        }

        PresenceLog.EventsDropped(logger, EventCapacity);
    }

    /// <summary>Sets <c>P/rules/&lt;rule&gt;/firing</c> (when events or discovery are on).</summary>
    public void FiringChanged(string ruleId, bool firing)
    {
        if (settings.Firing)
        {
            Retain(topics.Firing(ruleId), System.Text.Encoding.UTF8.GetBytes(firing ? PresenceTopics.On : PresenceTopics.Off));
        }
    }

    /// <summary>
    /// The rules now in force (at start and after each reload): discovery configs for new ones; for
    /// rules gone, their configs and firing topic are removed (empty retained payloads).
    /// </summary>
    public void Rules(IEnumerable<string> ruleIds)
    {
        var now = ruleIds.ToHashSet(StringComparer.Ordinal);
        string[] added, removed;
        lock (gate)
        {
            added = [.. now.Where(id => !rules.Contains(id))];
            removed = [.. rules.Where(id => !now.Contains(id))];
            rules.Clear();
            rules.UnionWith(now);
        }

        foreach (var id in added)
        {
            foreach (var (topic, config) in discovery?.Configs(id) ?? [])
            {
                Retain(topic, config);
            }
        }

        foreach (var id in removed)
        {
            foreach (var topic in (discovery?.ConfigTopics(id) ?? []).Append(topics.Firing(id)))
            {
                Retain(topic, []);
            }
        }
    }

    /// <summary>After every connect: on a reconnect, every retained value in force is sent again (the first connect sends what is pending anyway).</summary>
    public void Reconnected()
    {
        lock (gate)
        {
            if (!connectedBefore)
            {
                connectedBefore = true;
                return;
            }

            foreach (var (topic, payload) in retained)
            {
                pending[topic] = payload;
            }
        }

        wake.Writer.TryWrite(true);
    }

    private void Retain(string topic, byte[] payload)
    {
        lock (gate)
        {
            if (payload.Length == 0)
            {
                retained.Remove(topic);
            }
            else
            {
                retained[topic] = payload;
            }

            pending[topic] = payload;
        }

        wake.Writer.TryWrite(true);
    }
}
