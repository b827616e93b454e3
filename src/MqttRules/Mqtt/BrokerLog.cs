using Microsoft.Extensions.Logging;

namespace MqttRules.Mqtt;

/// <summary>What the embedded broker refuses, and why.</summary>
internal static partial class BrokerLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "Embedded broker: closed the connection from {Remote}: a packet of {Size} bytes is over the limit of {Max} bytes (MQTTRULES_EMBEDDED_MAX_PACKET_SIZE)")]
    public static partial void PacketTooLarge(ILogger logger, string? remote, long size, int max);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Embedded broker: refused a connection from {Remote}: {Max} connections are open (MQTTRULES_EMBEDDED_MAX_CONNECTIONS)")]
    public static partial void TooManyConnections(ILogger logger, string? remote, int max);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "Embedded broker: refused client {ClientId}: {Max} sessions are kept (MQTTRULES_EMBEDDED_MAX_SESSIONS)")]
    public static partial void TooManySessions(ILogger logger, string clientId, int max);

    [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "Embedded broker: closed the connection from {Remote}: a packet of {Size} bytes does not fit in the {Max} bytes for packets being received (MQTTRULES_EMBEDDED_MAX_INCOMPLETE_BYTES)")]
    public static partial void OverBudget(ILogger logger, string? remote, long size, int max);

    [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "Embedded broker: closed the connection from {Remote}: no CONNECT within {Seconds} s (MQTTRULES_EMBEDDED_CONNECT_TIMEOUT)")]
    public static partial void ConnectTimedOut(ILogger logger, string? remote, int seconds);

    [LoggerMessage(EventId = 705, Level = LogLevel.Warning, Message = "Embedded broker: {Count} more refused in the last minute ({Variable})")]
    public static partial void MoreRefused(ILogger logger, int count, string variable);

    [LoggerMessage(EventId = 706, Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Listen}{Login}")]
    public static partial void Listening(ILogger logger, string listen, string login);

    [LoggerMessage(EventId = 707, Level = LogLevel.Debug, Message = "Embedded broker stop: {Error}")]
    public static partial void StopFailed(ILogger logger, string error);
}
