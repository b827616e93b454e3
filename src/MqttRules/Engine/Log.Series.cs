using Microsoft.Extensions.Logging;

namespace MqttRules.Engine;

internal static partial class Log
{
    [LoggerMessage(EventId = 122, Level = LogLevel.Warning,
        Message = "Rule {RuleId} has reached its limit of {Max} series (MQTTRULES_MAX_SERIES): {Evicted} idle series forgotten and {Refused} new series ignored since the last warning")]
    public static partial void SeriesLimitReached(ILogger logger, string ruleId, int max, long evicted, long refused);
}
