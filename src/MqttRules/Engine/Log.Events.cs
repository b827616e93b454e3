using Microsoft.Extensions.Logging;

namespace MqttRules.Engine;

internal static partial class Log
{
    [LoggerMessage(EventId = 150, Level = LogLevel.Warning, Message = "Rule {RuleId}, series {Series}: the {Event} engine event was not reported")]
    public static partial void EngineEventFailed(ILogger logger, Exception ex, string ruleId, string? series, string @event);
}
