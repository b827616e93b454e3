using Microsoft.Extensions.Logging;

namespace MqttRules.Engine;

internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Rule {RuleId}, series {Series}: action {ActionIndex} ({Kind}) was not run: {Reason}")]
    public static partial void ActionRenderFailed(ILogger logger, string ruleId, string? series, int actionIndex, string kind, string reason);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Skipped a bad payload on {Topic}: {Reason} (further bad payloads are counted in mqttrules_payload_errors_total and summarized once a minute)")]
    public static partial void BadPayload(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "Rule {RuleId} {Event} for {Series}")]
    public static partial void RuleEvent(ILogger logger, string ruleId, string @event, string? series);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Rule {RuleId}, series {Series}: evaluation failed unexpectedly (further such failures are counted in mqttrules_evaluation_errors_total and summarized once a minute)")]
    public static partial void RuleCrashed(ILogger logger, Exception ex, string ruleId, string? series);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Could not save rule state; it will be retried")]
    public static partial void StateSaveFailed(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Rule {RuleId}, series {Series}: {Reason}")]
    public static partial void EvaluationFailed(ILogger logger, string ruleId, string? series, string reason);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "Rule {RuleId}, series {Series}: {Reason} ({Suppressed} more failed evaluations of this rule since the previous line were not logged)")]
    public static partial void EvaluationFailedWithSuppressed(ILogger logger, string ruleId, string? series, string reason, int suppressed);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Restored the history of history functions")]
    public static partial void HistoryRestored(ILogger logger);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Restored {Count} series states")]
    public static partial void StateRestored(ILogger logger, int count);

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "{Count} more bad payloads in the last minute were skipped")]
    public static partial void BadPayloadsSuppressed(ILogger logger, int count);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "{Count} more rule evaluations failed unexpectedly in the last minute")]
    public static partial void RuleCrashesSuppressed(ILogger logger, int count);
}
