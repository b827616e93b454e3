using Microsoft.Extensions.Logging;

namespace MqttRules.Demo;

/// <summary>What the demo water meter tells the user while it plays its story.</summary>
internal static partial class DemoLog
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Demo: water meter publishing {Topic} every second; in {Seconds} s a pipe bursts")]
    public static partial void Publishing(ILogger logger, string topic, double seconds);

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Demo meter: {Topic} {Payload}")]
    public static partial void Reading(ILogger logger, string topic, string payload);

    [LoggerMessage(EventId = 902, Level = LogLevel.Information, Message = "Demo: the valve is closed, the water stops")]
    public static partial void ValveClosed(ILogger logger);

    [LoggerMessage(EventId = 903, Level = LogLevel.Information, Message = "Demo: a pipe bursts! flow jumps to ~45 L/min")]
    public static partial void PipeBursts(ILogger logger);

    [LoggerMessage(EventId = 904, Level = LogLevel.Information, Message = "Demo: the leak stops by itself")]
    public static partial void LeakStops(ILogger logger);

    [LoggerMessage(EventId = 905, Level = LogLevel.Information, Message = "Demo: the plumber reopens the valve; next burst in {Seconds} s")]
    public static partial void ValveReopened(ILogger logger, double seconds);
}
