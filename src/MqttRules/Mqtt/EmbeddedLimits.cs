using System.Globalization;

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

    /// <summary>Reads the limits; throws <see cref="MqttConfigException"/> naming a variable that is not a positive whole number.</summary>
    public static EmbeddedLimits FromEnvironment(Func<string, string?> env)
    {
        var defaults = new EmbeddedLimits();
        return new EmbeddedLimits
        {
            MaxPacketSize = Positive(env, "MQTTRULES_EMBEDDED_MAX_PACKET_SIZE", defaults.MaxPacketSize, PacketFormat.MaxRemainingLength),
            MaxQueuedPerClient = Positive(env, "MQTTRULES_EMBEDDED_MAX_QUEUED", defaults.MaxQueuedPerClient, int.MaxValue),
            MaxConnections = Positive(env, "MQTTRULES_EMBEDDED_MAX_CONNECTIONS", defaults.MaxConnections, int.MaxValue),
            MaxSessions = Positive(env, "MQTTRULES_EMBEDDED_MAX_SESSIONS", defaults.MaxSessions, int.MaxValue),
        };
    }

    private static int Positive(Func<string, string?> env, string name, int fallback, int max)
    {
        if (env(name) is not { Length: > 0 } text)
        {
            return fallback;
        }

        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && n <= max
            ? n
            : throw new MqttConfigException($"{name} must be a whole number from 1 to {max}, not '{text}'");
    }
}
