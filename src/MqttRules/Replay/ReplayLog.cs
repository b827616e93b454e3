using Microsoft.Extensions.Logging;

namespace MqttRules.Replay;

internal static partial class ReplayLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Replayed {Count} messages; {Bad} bad payloads skipped, {Errors} evaluations undecided")]
    public static partial void Replayed(ILogger logger, int count, long bad, long errors);
}
