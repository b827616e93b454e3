using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Cli;
using MqttRules.Configuration;

namespace MqttRules.Tests.Cli;

/// <summary>Issue 14.5: log lines a service needs — dated timestamps with the zone offset, JSON for Loki/ELK, --log-level.</summary>
public class LoggingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 2, 15, 3, 123, TimeSpan.Zero);

    [Fact]
    public void Text_Timestamp_HasDateTimeMillisecondsAndZoneOffset()
    {
        var clock = new FakeTimeProvider(Now);
        clock.SetLocalTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

        var line = Write(new TextLogFormatter(clock), log => log.LogInformation("water-burst fired for {Series}", "home/main/water"));

        Assert.Equal("2026-12-05T03:15:03.123+01:00 info  water-burst fired for home/main/water" + Environment.NewLine, line);
    }

    [Fact]
    public void Text_ValueWithLineBreakAndAnsiEscape_OneLineWithControlsEscaped()
    {
        var value = "x\n02:30:00 ERROR forged line\u001b[31mred\r\t\u0085\u007f";

        var output = Write(new TextLogFormatter(new FakeTimeProvider(Now)), log => log.LogInformation("got {V}", value));

        Assert.Equal(
            "2026-12-05T02:15:03.123+00:00 info  got x\\n02:30:00 ERROR forged line\\u001b[31mred\\r\\t\\u0085\\u007f" + Environment.NewLine,
            output);
    }

    [Fact]
    public void Text_ExceptionStackTrace_KeepsItsLines()
    {
        var output = Write(new TextLogFormatter(new FakeTimeProvider(Now)), log => log.LogError(Thrown(new InvalidOperationException("boom")), "webhook failed"));

        Assert.StartsWith("2026-12-05T02:15:03.123+00:00 ERROR webhook failed" + Environment.NewLine + "System.InvalidOperationException: boom" + Environment.NewLine, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_UrlWithCredentials_Redacted()
    {
        var line = Write(new TextLogFormatter(new FakeTimeProvider(Now)), log => log.LogWarning("POST {Url} failed", "https://alerts:hunter2@hooks.example/x?token=s3cret"));

        Assert.Contains("POST https://alerts:***@hooks.example/x?token=*** failed", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_Line_IsOneObjectWithFixedFieldsAndNamedValues()
    {
        var line = Write(new JsonLogFormatter(new FakeTimeProvider(Now)),
            log => log.LogWarning(new EventId(42), "{RuleId} fired for {Series} at {Value} ({Firing})", "water-burst", "home/main/water", 31.5, true));

        Assert.Single(line.TrimEnd('\n').Split('\n'));
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("2026-12-05T02:15:03.123+00:00", json.GetProperty("timestamp").GetString());
        Assert.Equal("warning", json.GetProperty("level").GetString());
        Assert.Equal("MqttRules.Engine", json.GetProperty("category").GetString());
        Assert.Equal(42, json.GetProperty("event_id").GetInt32());
        Assert.Equal("water-burst fired for home/main/water at 31.5 (True)", json.GetProperty("message").GetString());
        Assert.Equal("water-burst", json.GetProperty("RuleId").GetString());
        Assert.Equal("home/main/water", json.GetProperty("Series").GetString());
        Assert.Equal(31.5, json.GetProperty("Value").GetDouble());
        Assert.True(json.GetProperty("Firing").GetBoolean());
        Assert.False(json.TryGetProperty("{OriginalFormat}", out _));
        Assert.False(json.TryGetProperty("exception", out _));
    }

    [Fact]
    public void Json_UrlWithCredentials_RedactedInMessageAndField()
    {
        var line = Write(new JsonLogFormatter(new FakeTimeProvider(Now)), log => log.LogWarning("POST {Url} failed", "https://alerts:hunter2@hooks.example/x?token=s3cret"));

        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("https://alerts:***@hooks.example/x?token=***", json.GetProperty("Url").GetString());
        Assert.Equal("POST https://alerts:***@hooks.example/x?token=*** failed", json.GetProperty("message").GetString());
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_Exception_TypeAndRedactedMessage_StackOnlyAtDebug()
    {
        var error = Thrown(new InvalidOperationException("cannot reach https://u:hunter2@hooks.example/x"));

        var plain = JsonDocument.Parse(Write(new JsonLogFormatter(new FakeTimeProvider(Now)), log => log.LogError(error, "webhook failed"))).RootElement;
        var debug = JsonDocument.Parse(Write(new JsonLogFormatter(new FakeTimeProvider(Now)) { IncludeStack = true }, log => log.LogError(error, "webhook failed"))).RootElement;

        var ex = plain.GetProperty("exception");
        Assert.Equal("System.InvalidOperationException", ex.GetProperty("type").GetString());
        Assert.Equal("cannot reach https://u:***@hooks.example/x", ex.GetProperty("message").GetString());
        Assert.False(ex.TryGetProperty("stack", out _));
        Assert.Contains(nameof(Thrown), debug.GetProperty("exception").GetProperty("stack").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_NonAsciiAndPlus_StayReadable()
    {
        var line = Write(new JsonLogFormatter(new FakeTimeProvider(Now)), log => log.LogInformation("{RuleId} → publish {Topic}", "wasser-über", "home/+/set"));

        Assert.Contains("\"RuleId\":\"wasser-über\"", line, StringComparison.Ordinal);
        Assert.Contains("home/+/set", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "run" }, null, LogLevel.Information)]
    [InlineData(new[] { "run" }, "warning", LogLevel.Warning)]
    [InlineData(new[] { "run", "--log-level", "debug" }, null, LogLevel.Debug)]
    [InlineData(new[] { "run", "--log-level=error" }, "debug", LogLevel.Error)]
    [InlineData(new[] { "run", "--log-level", "WARN" }, "debug", LogLevel.Warning)]
    public void Level_FlagWinsOverVariable_DefaultInfo(string[] args, string? variable, LogLevel expected)
    {
        var options = CliOptions.Parse(args, Env("MQTTRULES_LOG_LEVEL", variable));

        Assert.Equal(expected, Logging.Level(options) ?? LogLevel.Information);
    }

    [Theory]
    [InlineData(new[] { "run", "--log-level", "loud" }, null, "--log-level: must be debug, info, warning or error, not 'loud'")]
    [InlineData(new[] { "run" }, "loud", "MQTTRULES_LOG_LEVEL: must be debug, info, warning or error, not 'loud'")]
    public void Level_BadValue_NamesFlagOrVariable(string[] args, string? variable, string message)
    {
        var options = CliOptions.Parse(args, Env("MQTTRULES_LOG_LEVEL", variable));

        Assert.Equal(message, Assert.Throws<ConfigException>(() => Logging.Level(options)).Message);
    }

    [Theory]
    [InlineData(new[] { "run" }, null, typeof(TextLogFormatter))]
    [InlineData(new[] { "run" }, "json", typeof(JsonLogFormatter))]
    [InlineData(new[] { "run", "--log-format", "JSON" }, null, typeof(JsonLogFormatter))]
    [InlineData(new[] { "run", "--log-format", "text" }, "json", typeof(TextLogFormatter))]
    public void Format_FlagWinsOverVariable_DefaultText(string[] args, string? variable, Type expected)
    {
        var options = CliOptions.Parse(args, Env("MQTTRULES_LOG_FORMAT", variable));

        Assert.IsType(expected, Logging.Formatter(options, TimeProvider.System, LogLevel.Information));
    }

    [Theory]
    [InlineData(new[] { "run", "--log-format", "xml" }, null, "--log-format: must be text or json, not 'xml'")]
    [InlineData(new[] { "run" }, "logfmt", "MQTTRULES_LOG_FORMAT: must be text or json, not 'logfmt'")]
    public void Format_BadValue_NamesFlagOrVariable(string[] args, string? variable, string message)
    {
        var options = CliOptions.Parse(args, Env("MQTTRULES_LOG_FORMAT", variable));

        Assert.Equal(message, Assert.Throws<ConfigException>(() => Logging.Formatter(options, TimeProvider.System, LogLevel.Information)).Message);
    }

    [Fact]
    public void Format_JsonAtDebug_IncludesStacks()
    {
        var options = CliOptions.Parse(["run", "--log-format", "json", "--log-level", "debug"], _ => null);

        Assert.True(Assert.IsType<JsonLogFormatter>(Logging.Formatter(options, TimeProvider.System, Logging.Level(options)!.Value)).IncludeStack);
    }

    private static Func<string, string?> Env(string name, string? value) => n => n == name ? value : null;

    private static Exception Thrown(Exception ex)
    {
        try
        {
            throw ex;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }

    /// <summary>What the console logger writes for one call, through the real message formatting of Microsoft.Extensions.Logging.</summary>
    private static string Write(ConsoleFormatter formatter, Action<ILogger> log)
    {
        var output = new StringWriter();
        using (var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FormatterProvider(formatter, output))))
        {
            log(factory.CreateLogger("MqttRules.Engine"));
        }

        return output.ToString();
    }

    private sealed class FormatterProvider(ConsoleFormatter formatter, TextWriter output) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new FormatterLogger(formatter, output, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class FormatterLogger(ConsoleFormatter formatter, TextWriter output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> format) =>
            formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, format), null, output);
    }
}
