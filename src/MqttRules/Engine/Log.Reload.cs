using Microsoft.Extensions.Logging;

namespace MqttRules.Engine;

internal static partial class Log
{
    [LoggerMessage(EventId = 140, Level = LogLevel.Information, Message = "Reload: rule {RuleId} changed; its value, topic and anomaly settings did not, so its {Count} series keep their baselines and latest values, and its state machine starts afresh")]
    public static partial void RuleChangedKeepingBaselines(ILogger logger, string ruleId, int count);

    [LoggerMessage(EventId = 141, Level = LogLevel.Information, Message = "Reload: rule {RuleId} changed its value, topic or anomaly settings; it starts afresh")]
    public static partial void RuleChangedAfresh(ILogger logger, string ruleId);
}
