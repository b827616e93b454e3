using Microsoft.Extensions.Logging;

namespace MqttRules.Outbox;

/// <summary>A notifier's channel that did not take an alert and the next one that got it.</summary>
internal static partial class FallbackLog
{
    [LoggerMessage(EventId = 472, Level = LogLevel.Warning, Message = "Rule {RuleId}, series {Series}: notifier {Notifier}: {Kind} fell through ({Reason}); the alert goes to {Next}")]
    public static partial void FellThrough(ILogger logger, string ruleId, string? series, string? notifier, string kind, string reason, string next);
}
