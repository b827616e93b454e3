using Microsoft.Extensions.Logging;

namespace MqttRules.Lifecycle;

internal static partial class LifecycleLog
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "The mute of {What} {Name} has ended")]
    public static partial void MuteEnded(ILogger logger, string what, string name);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Rule {RuleId}, series {Series}: {Kind} not sent ({Reason})")]
    public static partial void Held(ILogger logger, string ruleId, string? series, string kind, string reason);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "Rule {RuleId}, series {Series} is flapping ({Changes} fires and resolves within {Within}): its notifications are held until it has been stable for {Within}")]
    public static partial void FlapStarted(ILogger logger, string ruleId, string series, int changes, string within);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Information, Message = "Rule {RuleId}, series {Series} has been stable for {Within} and is {Phase}: notifications resume ({Announced})")]
    public static partial void FlapSettled(ILogger logger, string ruleId, string series, string within, string phase, string announced);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Information, Message = "Lifecycle command: {Command}")]
    public static partial void Command(ILogger logger, string command);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Warning, Message = "Lifecycle command refused: {Reason}")]
    public static partial void CommandRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 1506, Level = LogLevel.Warning, Message = "The rule state {Topic} was not published: {Reason}")]
    public static partial void EnabledStateNotPublished(ILogger logger, string topic, string reason);
}
