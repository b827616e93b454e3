using Microsoft.Extensions.Logging;

namespace MqttRules.Notifiers;

internal static partial class NotifierLog
{
    [LoggerMessage(EventId = 1510, Level = LogLevel.Information, Message = "Notifier {Notifier}: {Count} alerts sent as one digest")]
    public static partial void DigestSent(ILogger logger, string notifier, int count);

    [LoggerMessage(EventId = 1511, Level = LogLevel.Information, Message = "Rule {RuleId}, series {Series}: notifier {Notifier} is in quiet hours; the alert goes out at {ReleaseAt:O}")]
    public static partial void QuietHeld(ILogger logger, string ruleId, string? series, string notifier, DateTimeOffset releaseAt);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Information, Message = "Rule {RuleId}, series {Series}: notifier {Notifier} is in quiet hours; the alert is dropped (then: drop)")]
    public static partial void QuietDropped(ILogger logger, string ruleId, string? series, string notifier);

    [LoggerMessage(EventId = 1513, Level = LogLevel.Error, Message = "Notifier {Notifier}: the digest of {Count} alerts could not be rendered: {Reason}")]
    public static partial void DigestFailed(ILogger logger, string notifier, int count, string reason);

    [LoggerMessage(EventId = 1514, Level = LogLevel.Information, Message = "Notifiers: {Count} alerts held from before the start (grouping, quiet hours)")]
    public static partial void Resuming(ILogger logger, int count);
}
