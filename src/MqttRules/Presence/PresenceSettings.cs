using MqttRules.Configuration;

namespace MqttRules.Presence;

/// <summary>
/// What the engine tells the broker about itself besides <c>P/status</c> (always on for <c>run</c>):
/// engine events (<c>MQTTRULES_EVENTS</c>) and Home Assistant discovery (<c>MQTTRULES_HA_DISCOVERY</c>,
/// <c>MQTTRULES_HA_DISCOVERY_PREFIX</c>). Both off by default.
/// </summary>
public sealed record PresenceSettings
{
    public const string EventsVariable = "MQTTRULES_EVENTS";
    public const string DiscoveryVariable = "MQTTRULES_HA_DISCOVERY";
    public const string DiscoveryPrefixVariable = "MQTTRULES_HA_DISCOVERY_PREFIX";
    public const string DefaultDiscoveryPrefix = "homeassistant";

    /// <summary><c>P/events/&lt;rule&gt;</c> JSON on every fire and resolve.</summary>
    public bool Events { get; init; }

    /// <summary>Home Assistant MQTT discovery: a binary_sensor and a switch per rule.</summary>
    public bool HaDiscovery { get; init; }

    /// <summary>The first level of discovery topics (Home Assistant's <c>discovery_prefix</c>).</summary>
    public string HaDiscoveryPrefix { get; init; } = DefaultDiscoveryPrefix;

    /// <summary>Whether <c>P/rules/&lt;rule&gt;/firing</c> is published: with events or discovery.</summary>
    public bool Firing => Events || HaDiscovery;

    /// <summary>Reads and checks the settings; throws a <see cref="ConfigException"/> naming the variable at fault.</summary>
    public static PresenceSettings FromEnvironment(Func<string, string?> environment)
    {
        var env = new Secrets(environment);
        var settings = new PresenceSettings
        {
            Events = env.Bool(EventsVariable),
            HaDiscovery = env.Bool(DiscoveryVariable),
            HaDiscoveryPrefix = env.Setting(DiscoveryPrefixVariable, DefaultDiscoveryPrefix),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>The discovery prefix must be a topic name without wildcards, not a <c>$</c> topic, not ending with '/'.</summary>
    public void Validate()
    {
        if (Topics.TopicFilters.CheckTopicPrefix(HaDiscoveryPrefix) is { } problem)
        {
            throw ConfigException.For(DiscoveryPrefixVariable, problem);
        }
    }
}
