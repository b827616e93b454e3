using MqttRules.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace MqttRules.Cli;

/// <summary>Logs go to stderr, so stdout carries only data (replay's action lines).</summary>
public static class Logging
{
    public static ILoggerFactory Create(LogLevel minimum = LogLevel.Information) =>
        LoggerFactory.Create(b => b
            .SetMinimumLevel(ParseLevel(Environment.GetEnvironmentVariable("MQTTRULES_LOG_LEVEL")) ?? minimum)
            .AddConsole(o =>
            {
                o.FormatterName = StoryFormatter.FormatterName;
                o.LogToStandardErrorThreshold = LogLevel.Trace;
            })
            .AddConsoleFormatter<StoryFormatter, ConsoleFormatterOptions>()
            .AddFilter("Microsoft", LogLevel.Warning));

    private static LogLevel? ParseLevel(string? text) => text?.ToLowerInvariant() switch
    {
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warning" or "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        null or "" => null,
        _ => throw Configuration.ConfigException.For("MQTTRULES_LOG_LEVEL", $"must be debug, info, warning or error, not '{text}'"),
    };

    /// <summary><c>12:00:01 info  water-burst fired for home/main/water → publish valves/main/set "CLOSE"</c>: time (UTC), level, message.</summary>
    private sealed class StoryFormatter() : ConsoleFormatter(FormatterName)
    {
        public const string FormatterName = "story";

        public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
        {
            // Credentials in URLs never reach the log, whichever component wrote the line.
            var message = Redaction.Current.Text(logEntry.Formatter(logEntry.State, logEntry.Exception));
            var level = logEntry.LogLevel switch
            {
                LogLevel.Trace => "trace",
                LogLevel.Debug => "debug",
                LogLevel.Information => "info ",
                LogLevel.Warning => "WARN ",
                LogLevel.Error => "ERROR",
                _ => "FATAL",
            };
            textWriter.Write(TimeProvider.System.GetUtcNow().ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
            textWriter.Write(' ');
            textWriter.Write(level);
            textWriter.Write(' ');
            textWriter.WriteLine(message);
            if (logEntry.Exception is { } ex)
            {
                textWriter.WriteLine(Redaction.Current.Text(ex.ToString()));
            }
        }
    }
}
