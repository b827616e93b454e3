using Microsoft.Extensions.Logging;

namespace MqttRules.Presence;

internal static partial class PresenceLog
{
    [LoggerMessage(EventId = 920, Level = LogLevel.Warning, Message = "Engine events are dropped: {Capacity} wait for the broker already (the engine's own actions are not affected)")]
    public static partial void EventsDropped(ILogger logger, int capacity);

    [LoggerMessage(EventId = 921, Level = LogLevel.Warning, Message = "The broker refused the engine's publish to {Topic}: {Error}")]
    public static partial void PublishRefused(ILogger logger, string topic, string error);

    [LoggerMessage(EventId = 922, Level = LogLevel.Information, Message = "Presence on {Status}{Extras}")]
    public static partial void Started(ILogger logger, string status, string extras);
}
