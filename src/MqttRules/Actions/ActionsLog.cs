using Microsoft.Extensions.Logging;

namespace MqttRules.Actions;

/// <summary>Log lines of actions as they are run: the story of what the rules did.</summary>
internal static partial class ActionsLog
{
    [LoggerMessage(EventId = 620, Level = LogLevel.Information, Message = "{Event} → {Action}")]
    public static partial void Running(ILogger logger, string @event, string action);

    [LoggerMessage(EventId = 621, Message = "{Event} → {Message}")]
    public static partial void Logged(ILogger logger, LogLevel level, string @event, string message);

    [LoggerMessage(EventId = 622, Level = LogLevel.Warning, Message = "{Event} → would send {Action} (no outbox configured)")]
    public static partial void NoOutbox(ILogger logger, string @event, string action);
}
