using Microsoft.Extensions.Logging;

namespace MqttRules.Mqtt;

/// <summary>The life of the connection to the broker: connect, subscribe, lose, leave.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(EventId = 340, Level = LogLevel.Warning, Message = "MQTTRULES_TLS_INSECURE=true: the broker's certificate is not verified")]
    public static partial void TlsInsecure(ILogger logger);

    [LoggerMessage(EventId = 341, Message = "Lost the connection to {Broker} ({Reason}); reconnecting")]
    public static partial void ConnectionLost(ILogger logger, LogLevel level, string broker, string reason);

    [LoggerMessage(EventId = 342, Level = LogLevel.Warning, Message = "Broker {Broker} refused the connection ({Code}: {Reason}); retrying in {Delay:0.#} s")]
    public static partial void Refused(ILogger logger, string broker, MQTTnet.MqttClientConnectResultCode code, string? reason, double delay);

    [LoggerMessage(EventId = 343, Level = LogLevel.Information, Message = "Connected to {Broker} as {ClientId} ({Protocol}, session {Session})")]
    public static partial void Connected(ILogger logger, string broker, string clientId, string protocol, string session);

    [LoggerMessage(EventId = 344, Level = LogLevel.Warning, Message = "Subscribing failed ({Error}); reconnecting")]
    public static partial void SubscribeFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 345, Level = LogLevel.Debug, Message = "Disconnect: {Error}")]
    public static partial void DisconnectFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 346, Level = LogLevel.Information, Message = "Subscribed to {Filters} (QoS {Qos})")]
    public static partial void Subscribed(ILogger logger, string filters, int qos);

    [LoggerMessage(EventId = 347, Level = LogLevel.Error, Message = "Broker refused the subscription {Filter}: {Code}")]
    public static partial void SubscriptionRefused(ILogger logger, string filter, MQTTnet.MqttClientSubscribeResultCode code);

    [LoggerMessage(EventId = 348, Level = LogLevel.Information, Message = "Subscriptions follow the reloaded rules: subscribed to [{Added}], then unsubscribed from [{Removed}]")]
    public static partial void Resubscribed(ILogger logger, string added, string removed);

    [LoggerMessage(EventId = 349, Level = LogLevel.Error, Message = "Handing a received message to the engine failed")]
    public static partial void HandOffFailed(ILogger logger, Exception ex);
}
