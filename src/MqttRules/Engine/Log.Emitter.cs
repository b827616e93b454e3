using Microsoft.Extensions.Logging;

namespace MqttRules.Engine;

internal static partial class Log
{
    [LoggerMessage(EventId = 109, Level = LogLevel.Error, Message = "Rule {RuleId}, series {Series}: action {ActionIndex} ({Kind}) was not run: handing it on failed (the rule's other actions ran)")]
    public static partial void ActionSubmitFailed(ILogger logger, Exception ex, string ruleId, string? series, int actionIndex, string kind);
}
