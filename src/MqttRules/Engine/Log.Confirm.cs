using Microsoft.Extensions.Logging;

namespace MqttRules.Engine;

internal static partial class Log
{
    [LoggerMessage(EventId = 161, Level = LogLevel.Information, Message = "Rule {RuleId}, series {Series}: waiting until {Due:o} for a confirmation on {ConfirmTopic}")]
    public static partial void ConfirmationAwaited(ILogger logger, string ruleId, string? series, string confirmTopic, DateTimeOffset due);

    [LoggerMessage(EventId = 162, Level = LogLevel.Information, Message = "Rule {RuleId}, series {Series}: confirmed on {ConfirmTopic} after {Attempts} send(s)")]
    public static partial void Confirmed(ILogger logger, string ruleId, string? series, string confirmTopic, int attempts);

    [LoggerMessage(EventId = 163, Level = LogLevel.Warning, Message = "Rule {RuleId}, series {Series}: no confirmation on {ConfirmTopic}; sending {PublishTopic} again (attempt {Attempt} of {Max})")]
    public static partial void ConfirmationRetried(ILogger logger, string ruleId, string? series, string confirmTopic, string publishTopic, int attempt, int max);

    [LoggerMessage(EventId = 164, Level = LogLevel.Warning, Message = "Rule {RuleId}, series {Series}: unconfirmed: nothing on {ConfirmTopic} confirmed {PublishTopic} after {Attempts} send(s); running on_unconfirmed")]
    public static partial void Unconfirmed(ILogger logger, string ruleId, string? series, string confirmTopic, string publishTopic, int attempts);

    [LoggerMessage(EventId = 165, Level = LogLevel.Warning, Message = "Rule {RuleId}, series {Series}: the confirmation topic could not be rendered ({Reason}); the publish went out unwatched")]
    public static partial void ConfirmTopicFailed(ILogger logger, string ruleId, string? series, string reason);

    [LoggerMessage(EventId = 166, Level = LogLevel.Information, Message = "Rule {RuleId}, series {Series}: a new publish to {PublishTopic} replaces the confirmation still awaited for the previous one")]
    public static partial void ConfirmationReplaced(ILogger logger, string ruleId, string? series, string publishTopic);

    [LoggerMessage(EventId = 167, Level = LogLevel.Information, Message = "Rule {RuleId}: a confirmation awaited on {ConfirmTopic} was dropped: the rule or its publish with 'confirm:' is gone")]
    public static partial void ConfirmationDropped(ILogger logger, string ruleId, string confirmTopic);

    [LoggerMessage(EventId = 168, Level = LogLevel.Information, Message = "{Count} confirmation(s) awaited before the stop are awaited again")]
    public static partial void ConfirmationsRestored(ILogger logger, int count);
}
