namespace MqttRules.Mqtt;

/// <summary>
/// The limits of the embedded broker, as a broker has them, so one device cannot take the
/// engine's memory: the largest packet, the messages queued for one client, open connections and
/// sessions. Each is set with an <c>MQTTRULES_EMBEDDED_*</c> variable.
/// </summary>
public sealed record EmbeddedLimits
{
    /// <summary>The largest MQTT packet accepted (<c>MQTTRULES_EMBEDDED_MAX_PACKET_SIZE</c>, bytes); a larger one closes the connection before it is read.</summary>
    public int MaxPacketSize { get; init; } = 1024 * 1024;

    /// <summary>Messages queued for one client before the oldest are dropped (<c>MQTTRULES_EMBEDDED_MAX_QUEUED</c>).</summary>
    public int MaxQueuedPerClient { get; init; } = 100_000;

    /// <summary>Open TCP connections; more are closed at once (<c>MQTTRULES_EMBEDDED_MAX_CONNECTIONS</c>).</summary>
    public int MaxConnections { get; init; } = 1000;

    /// <summary>Sessions kept, connected or not; a new client id beyond this is refused (<c>MQTTRULES_EMBEDDED_MAX_SESSIONS</c>).</summary>
    public int MaxSessions { get; init; } = 1000;

    /// <summary>Bytes of packets begun and not yet fully received, over all connections; a packet that does not fit closes its connection (<c>MQTTRULES_EMBEDDED_MAX_INCOMPLETE_BYTES</c>).</summary>
    public int MaxIncompleteBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Seconds a new connection has to send its whole CONNECT before it is closed (<c>MQTTRULES_EMBEDDED_CONNECT_TIMEOUT</c>).</summary>
    public int ConnectTimeoutSeconds { get; init; } = 10;

    /// <summary>Reads the limits; throws a <see cref="Configuration.ConfigException"/> naming a variable that is not a positive whole number.</summary>
    public static EmbeddedLimits FromEnvironment(Func<string, string?> environment)
    {
        var env = new Configuration.Secrets(environment);
        var defaults = new EmbeddedLimits();
        return new EmbeddedLimits
        {
            MaxPacketSize = env.Whole("MQTTRULES_EMBEDDED_MAX_PACKET_SIZE", defaults.MaxPacketSize, max: PacketFormat.MaxRemainingLength),
            MaxQueuedPerClient = env.Whole("MQTTRULES_EMBEDDED_MAX_QUEUED", defaults.MaxQueuedPerClient),
            MaxConnections = env.Whole("MQTTRULES_EMBEDDED_MAX_CONNECTIONS", defaults.MaxConnections),
            MaxSessions = env.Whole("MQTTRULES_EMBEDDED_MAX_SESSIONS", defaults.MaxSessions),
            MaxIncompleteBytes = env.Whole("MQTTRULES_EMBEDDED_MAX_INCOMPLETE_BYTES", defaults.MaxIncompleteBytes),
            ConnectTimeoutSeconds = env.Whole("MQTTRULES_EMBEDDED_CONNECT_TIMEOUT", defaults.ConnectTimeoutSeconds, max: 3600),
        };
    }
}
