using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Engine;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Payloads;

/// <summary>
/// Issue 10, point 7: 1,000 payloads with invalid UTF-8 inside a JSON string gave 3,000 ERROR lines
/// with stack traces while mqttrules_payload_errors_total stayed 0. Bad payloads are counted, and
/// logged as one warning plus at most one summary line a minute.
/// </summary>
public class BadPayloadLoggingTests
{
    private const string ThreeRules = """
        rules:
          - { id: a, topic: m/+, value: name, when: value == 'x', actions: [ { log: a } ] }
          - { id: b, topic: m/+, value: name, when: value like 'x%', actions: [ { log: b } ] }
          - { id: c, topic: m/#, when: name != 'y', actions: [ { log: c } ] }
        """;

    private static readonly byte[] Bad = [.. "{\"name\":\"ab"u8, 0xFF, 0xFE, .. "cd\"}"u8];

    [Fact]
    public void Process_ThousandBadPayloads_CountedOneWarningNoStackTrace()
    {
        var (engine, _, log) = Create();

        for (var i = 0; i < 1000; i++)
        {
            engine.Process($"m/{i % 7}", Bad);
        }

        Assert.Equal(1000, engine.Metrics.PayloadErrors);
        Assert.Equal(0, engine.Metrics.EvaluationErrors);
        var line = Assert.Single(log.Lines);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("m/0", line.Text);
        Assert.Contains("not valid UTF-8", line.Text);
        Assert.Null(line.Exception);
    }

    [Fact]
    public void Process_TenBadInEveryHundredForTenMinutes_OneWarningAndOneSummaryAMinute()
    {
        var (engine, clock, log) = Create();

        for (var second = 0; second < 600; second++)
        {
            for (var i = 0; i < 100; i++)
            {
                engine.Process("m/1", i % 10 == 0 ? Bad : "{\"name\":\"x\"}"u8.ToArray());
            }

            clock.Advance(TimeSpan.FromSeconds(1));
            engine.AdvanceTo(clock.GetUtcNow());
        }

        Assert.Equal(6000, engine.Metrics.PayloadErrors);
        Assert.InRange(log.Lines.Count, 10, 20);
        Assert.All(log.Lines, l => Assert.Null(l.Exception));
        Assert.Equal(6000, log.Lines.Sum(l => l.Text.StartsWith("Skipped", StringComparison.Ordinal) ? 1 : int.Parse(l.Text.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>Any failure nobody foresaw (here: a history that throws) is counted, and logged with its stack trace once a minute.</summary>
    [Fact]
    public void Process_UnexpectedFailureOnEveryMessage_OneStackTraceThenASummaryAMinute()
    {
        var (engine, clock, log) = Create("""
            rules:
              - { id: h, topic: m/+, when: "last('x/y') == 1", actions: [ { log: h } ] }
            """, new ThrowingHistory());

        for (var i = 0; i < 500; i++)
        {
            engine.Process("m/1", "1"u8.ToArray());
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        engine.AdvanceTo(clock.GetUtcNow());

        Assert.Equal(500, engine.Metrics.EvaluationErrors);
        Assert.Equal(2, log.Lines.Count);
        Assert.IsType<InvalidOperationException>(log.Lines[0].Exception);
        Assert.Equal("499 more rule evaluations failed unexpectedly in the last minute", log.Lines[1].Text);
    }

    private static (RuleEngine Engine, FakeTimeProvider Clock, CollectingLogger Log) Create(string yaml = ThreeRules, IHistoryRecorder? history = null)
    {
        var clock = new FakeTimeProvider(EngineHarness.Start);
        var log = new CollectingLogger();
        var engine = new RuleEngine(Yaml.Rules(yaml), new ListActionSink(), new EngineOptions { Clock = clock, Logger = log, History = history });
        engine.Start();
        return (engine, clock, log);
    }

    private sealed class ThrowingHistory : IHistoryRecorder
    {
        public IEnumerable<string> Filters => [];

        public bool Wants(string topic, IReadOnlyList<string>? via = null) => false;

        public void Record(string topic, MqttRules.Payloads.Payload payload, DateTimeOffset now, IReadOnlyList<string>? via = null)
        {
        }

        public MqttRules.Values.Value Last(string topic, string? path) => throw new InvalidOperationException("history broke");

        public MqttRules.Values.Value Aggregate(MqttRules.Expressions.Aggregate aggregate, string topic, string path, TimeSpan window, DateTimeOffset now) => throw new InvalidOperationException("history broke");

        public string Save() => "{}";

        public bool Load(string json) => true;
    }

    private sealed class CollectingLogger : ILogger
    {
        public List<(LogLevel Level, string Text, Exception? Exception)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Lines.Add((logLevel, formatter(state, exception), exception));
            }
        }
    }
}
