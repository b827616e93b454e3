using Microsoft.Extensions.Logging;

namespace MqttRules.Mqtt;

internal static partial class ConnectionLog
{
    [LoggerMessage(EventId = 330, Level = LogLevel.Error, Message = "Client id '{ClientId}' is in use by another connection: the broker {How}. Give every engine its own id (--client-id or MQTTRULES_CLIENT_ID); retrying with backoff")]
    public static partial void ClientIdInUse(ILogger logger, string clientId, string how);

    [LoggerMessage(EventId = 331, Level = LogLevel.Warning, Message = "Subscriptions: {Warning}")]
    public static partial void SubscriptionOverlap(ILogger logger, string warning);

    [LoggerMessage(EventId = 332, Level = LogLevel.Information, Message = "Subscriptions: {Note}")]
    public static partial void SubscriptionNote(ILogger logger, string note);

    [LoggerMessage(EventId = 333, Level = LogLevel.Warning, Message = "Broker {Broker} unreachable{Down} ({Reason}); retrying in {Delay:0.#} s")]
    public static partial void Unreachable(ILogger logger, string broker, string down, string reason, double delay);

    [LoggerMessage(EventId = 334, Level = LogLevel.Debug, Message = "Broker {Broker} unreachable ({Reason}); retrying in {Delay:0.#} s")]
    public static partial void StillUnreachable(ILogger logger, string broker, string reason, double delay);

    [LoggerMessage(EventId = 335, Level = LogLevel.Information, Message = "Subscribing with MQTT 5 subscription identifiers: a message matching overlapping filters is evaluated once per rule")]
    public static partial void UsingIdentifiers(ILogger logger);
}
