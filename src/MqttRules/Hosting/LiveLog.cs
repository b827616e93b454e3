using Microsoft.Extensions.Logging;

namespace MqttRules.Hosting;

/// <summary>What <c>run</c> and <c>record</c> tell the user: start, stop, and each action as it is handed on.</summary>
internal static partial class LiveLog
{
    [LoggerMessage(EventId = 740, Level = LogLevel.Information, Message = "{Rules} rules loaded{DryRun}; connecting to {Broker}")]
    public static partial void Loaded(ILogger logger, int rules, string dryRun, string broker);

    [LoggerMessage(EventId = 741, Level = LogLevel.Information, Message = "HTTP: /healthz and /metrics on {Listen}")]
    public static partial void HttpListening(ILogger logger, string listen);

    [LoggerMessage(EventId = 742, Level = LogLevel.Information, Message = "Stopping")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 743, Level = LogLevel.Information, Message = "Stopped: {Messages} messages evaluated")]
    public static partial void Stopped(ILogger logger, long messages);

    [LoggerMessage(EventId = 744, Level = LogLevel.Error, Message = "Message on {Topic} could not be evaluated")]
    public static partial void MessageFailed(ILogger logger, Exception ex, string topic);

    [LoggerMessage(EventId = 745, Level = LogLevel.Information, Message = "Recording {Filters} to {Path}")]
    public static partial void Recording(ILogger logger, string filters, string path);

    [LoggerMessage(EventId = 746, Level = LogLevel.Information, Message = "Recorded {Count} messages to {Path}")]
    public static partial void Recorded(ILogger logger, long count, string path);

    [LoggerMessage(EventId = 747, Level = LogLevel.Information, Message = "{Event} → {Action}")]
    public static partial void ActionHandedOn(ILogger logger, string @event, string action);

    [LoggerMessage(EventId = 748, Message = "{Event} → {Message}")]
    public static partial void LogAction(ILogger logger, LogLevel level, string @event, string? message);

    [LoggerMessage(EventId = 749, Level = LogLevel.Warning, Message = "{Event} → would send {Action} (no outbox configured)")]
    public static partial void NoOutbox(ILogger logger, string @event, string action);

    [LoggerMessage(EventId = 750, Level = LogLevel.Information, Message = "Broker away: publish to {Topic} waits for the connection ({Reason})")]
    public static partial void BrokerAway(ILogger logger, string? topic, string reason);

    [LoggerMessage(EventId = 751, Level = LogLevel.Information, Message = "{Event} → [dry-run] {Json}")]
    public static partial void DryRun(ILogger logger, string @event, string json);
}
