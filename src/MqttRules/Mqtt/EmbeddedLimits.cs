using MqttRules.Configuration;

namespace MqttRules.Mqtt;

/// <summary>
/// The limits of the embedded broker, as a broker has them, so one device cannot take the
/// engine's memory: the largest packet, the messages queued for one client, open connections and
/// sessions. Each is set with an <c>MQTTRULES_EMBEDDED_*</c> variable; each range is stated next to it.
/// </summary>
public sealed record EmbeddedLimits
{
    private const string PacketSizeVariable = "MQTTRULES_EMBEDDED_MAX_PACKET_SIZE";
    private const string QueuedVariable = "MQTTRULES_EMBEDDED_MAX_QUEUED";
    private const string ConnectionsVariable = "MQTTRULES_EMBEDDED_MAX_CONNECTIONS";
    private const string SessionsVariable = "MQTTRULES_EMBEDDED_MAX_SESSIONS";
    private const string IncompleteVariable = "MQTTRULES_EMBEDDED_MAX_INCOMPLETE_BYTES";
    private const string ConnectTimeoutVariable = "MQTTRULES_EMBEDDED_CONNECT_TIMEOUT";

    /// <summary>The largest MQTT packet accepted (<c>MQTTRULES_EMBEDDED_MAX_PACKET_SIZE</c>, bytes); a larger one closes the connection before it is read.</summary>
    public int MaxPacketSize { get; init; } = 1024 * 1024;
    public static readonly WholeRange MaxPacketSizeRange = new(1, PacketFormat.MaxRemainingLength);

    /// <summary>Messages queued for one client before the oldest are dropped (<c>MQTTRULES_EMBEDDED_MAX_QUEUED</c>).</summary>
    public int MaxQueuedPerClient { get; init; } = 100_000;

    /// <summary>Open TCP connections; more are closed at once (<c>MQTTRULES_EMBEDDED_MAX_CONNECTIONS</c>).</summary>
    public int MaxConnections { get; init; } = 1000;

    /// <summary>Sessions kept, connected or not; a new client id beyond this is refused (<c>MQTTRULES_EMBEDDED_MAX_SESSIONS</c>).</summary>
    public int MaxSessions { get; init; } = 1000;

    /// <summary>Bytes of packets begun and not yet fully received, over all connections; a packet that does not fit closes its connection (<c>MQTTRULES_EMBEDDED_MAX_INCOMPLETE_BYTES</c>).</summary>
    public int MaxIncompleteBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>The range of the queue, connection, session and incomplete-bytes limits: at least 1.</summary>
    public static readonly WholeRange CountRange = new(1, int.MaxValue);

    /// <summary>Seconds a new connection has to send its whole CONNECT before it is closed (<c>MQTTRULES_EMBEDDED_CONNECT_TIMEOUT</c>).</summary>
    public int ConnectTimeoutSeconds { get; init; } = 10;
    public static readonly WholeRange ConnectTimeoutRange = new(1, 3600);

    /// <summary>Reads the limits; throws a <see cref="ConfigException"/> naming a variable outside its range.</summary>
    public static EmbeddedLimits FromEnvironment(Func<string, string?> environment)
    {
        var env = new Secrets(environment);
        var defaults = new EmbeddedLimits();
        return new EmbeddedLimits
        {
            MaxPacketSize = env.Whole(PacketSizeVariable, defaults.MaxPacketSize, MaxPacketSizeRange),
            MaxQueuedPerClient = env.Whole(QueuedVariable, defaults.MaxQueuedPerClient, CountRange),
            MaxConnections = env.Whole(ConnectionsVariable, defaults.MaxConnections, CountRange),
            MaxSessions = env.Whole(SessionsVariable, defaults.MaxSessions, CountRange),
            MaxIncompleteBytes = env.Whole(IncompleteVariable, defaults.MaxIncompleteBytes, CountRange),
            ConnectTimeoutSeconds = env.Whole(ConnectTimeoutVariable, defaults.ConnectTimeoutSeconds, ConnectTimeoutRange),
        };
    }

    /// <summary>Checks every limit against its range; throws a <see cref="ConfigException"/> naming the first one outside it.</summary>
    public void Validate()
    {
        MaxPacketSizeRange.Check(MaxPacketSize, PacketSizeVariable);
        CountRange.Check(MaxQueuedPerClient, QueuedVariable);
        CountRange.Check(MaxConnections, ConnectionsVariable);
        CountRange.Check(MaxSessions, SessionsVariable);
        CountRange.Check(MaxIncompleteBytes, IncompleteVariable);
        ConnectTimeoutRange.Check(ConnectTimeoutSeconds, ConnectTimeoutVariable);
    }
}
