using Microsoft.Extensions.Logging;

namespace MqttRules.Outbox;

internal static partial class OutboxLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Rule {RuleId}, series {Series}: tweet not sent, X credentials are not configured: {Text}")]
    public static partial void TweetNotSent(ILogger logger, string ruleId, string? series, string? text);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Rule {RuleId}, series {Series}: tweet dropped, the budget of {Budget} tweets per 24 h is spent: {Text}")]
    public static partial void OverBudget(ILogger logger, string ruleId, string? series, int budget, string? text);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Rule {RuleId}, series {Series}: {Kind} not sent: {Reason}")]
    public static partial void NotSent(ILogger logger, string ruleId, string? series, string kind, string reason);

    [LoggerMessage(EventId = 403, Level = LogLevel.Error, Message = "Rule {RuleId}, series {Series}: could not store the {Kind} action in the outbox")]
    public static partial void StoreFailed(ILogger logger, Exception ex, string ruleId, string? series, string kind);

    [LoggerMessage(EventId = 404, Level = LogLevel.Information, Message = "Rule {RuleId}, series {Series}: {Kind} delivered ({Detail})")]
    public static partial void Delivered(ILogger logger, string ruleId, string? series, string kind, string detail);

    [LoggerMessage(EventId = 405, Level = LogLevel.Warning, Message = "Rule {RuleId}, series {Series}: {Kind} not delivered yet ({Detail}); attempt {Attempts}, next at {NextAt:O}")]
    public static partial void Rescheduled(ILogger logger, string ruleId, string? series, string kind, string detail, int attempts, DateTimeOffset nextAt);

    [LoggerMessage(EventId = 406, Level = LogLevel.Error, Message = "Rule {RuleId}, series {Series}: {Kind} failed permanently and went to the dead-letter table: {Detail}")]
    public static partial void DeadLettered(ILogger logger, string ruleId, string? series, string kind, string detail);

    [LoggerMessage(EventId = 407, Level = LogLevel.Warning, Message = "X credentials are not configured (X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET): tweet actions will be logged, not sent")]
    public static partial void NoXCredentials(ILogger logger);

    [LoggerMessage(EventId = 408, Level = LogLevel.Warning, Message = "SMTP_URL is not configured: email actions will be logged, not sent")]
    public static partial void NoSmtp(ILogger logger);

    [LoggerMessage(EventId = 490, Level = LogLevel.Warning, Message = "X credentials are incomplete: {Missing} not set (nor *_FILE); tweet actions will be logged, not sent")]
    public static partial void XCredentialsIncomplete(ILogger logger, string missing);

    [LoggerMessage(EventId = 409, Level = LogLevel.Information, Message = "Outbox: {Pending} undelivered actions from before the start will be delivered")]
    public static partial void Resuming(ILogger logger, long pending);

    [LoggerMessage(EventId = 410, Level = LogLevel.Error, Message = "Outbox delivery loop failed; retrying")]
    public static partial void LoopFailed(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "Outbox stop: deliveries still running after {Timeout}; their rows stay pending for the next start")]
    public static partial void StopTimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 470, Level = LogLevel.Warning, Message = "{Kind} is not configured ({Missing} not set, nor *_FILE): {Kind} actions will be logged, not sent")]
    public static partial void ChannelNotConfigured(ILogger logger, string kind, string missing);

    [LoggerMessage(EventId = 471, Level = LogLevel.Warning, Message = "{Variable} is not set: {Kind} actions without their own url will go to the dead letters")]
    public static partial void NoChannelUrl(ILogger logger, string kind, string variable);
}
