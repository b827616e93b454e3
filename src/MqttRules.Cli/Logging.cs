using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using MqttRules.Configuration;

namespace MqttRules.Cli;

/// <summary>
/// Logs go to stderr, so stdout carries only data (replay's action lines). <c>--log-level</c>
/// (else <c>MQTTRULES_LOG_LEVEL</c>) sets the detail, <c>--log-format text|json</c> (else
/// <c>MQTTRULES_LOG_FORMAT</c>) the shape of a line.
/// </summary>
internal static class Logging
{
    /// <summary>The logger factory of a command; a bad level or format throws a <see cref="ConfigException"/> naming the flag or variable.</summary>
    public static ILoggerFactory Create(CliOptions options, LogLevel minimum = LogLevel.Information, TimeProvider? clock = null)
    {
        var level = Level(options) ?? minimum;
        var formatter = Formatter(options, clock ?? TimeProvider.System, level);
        return LoggerFactory.Create(b =>
        {
            b.Services.AddSingleton<ConsoleFormatter>(formatter);
            b.SetMinimumLevel(level)
                .AddConsole(o =>
                {
                    o.FormatterName = formatter.Name;
                    o.LogToStandardErrorThreshold = LogLevel.Trace;
                })
                .AddFilter("Microsoft", LogLevel.Warning);
        });
    }

    /// <summary><c>--log-level</c>, else <c>MQTTRULES_LOG_LEVEL</c>; null when neither is set.</summary>
    internal static LogLevel? Level(CliOptions options) => options.GetOrNull("log-level")?.ToLowerInvariant() switch
    {
        null => null,
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warning" or "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => throw ConfigException.For(options.Source("log-level"), $"must be debug, info, warning or error, not '{options.GetOrNull("log-level")}'"),
    };

    /// <summary><c>--log-format</c>, else <c>MQTTRULES_LOG_FORMAT</c>: <c>text</c> (default) or <c>json</c>.</summary>
    internal static ConsoleFormatter Formatter(CliOptions options, TimeProvider clock, LogLevel level) =>
        options.GetOrNull("log-format")?.ToLowerInvariant() switch
        {
            null or "text" => new TextLogFormatter(clock),
            "json" => new JsonLogFormatter(clock) { IncludeStack = level <= LogLevel.Debug },
            _ => throw ConfigException.For(options.Source("log-format"), $"must be text or json, not '{options.GetOrNull("log-format")}'"),
        };
}
