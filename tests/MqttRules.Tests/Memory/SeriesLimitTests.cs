using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Actions.Publish;
using MqttRules.Engine;
using MqttRules.State;
using MqttRules.Storage;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Memory;

/// <summary>MQTTRULES_MAX_SERIES: a rule keeps at most that many series, forgetting idle ones first.</summary>
public sealed class SeriesLimitTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const string Threshold = """
        rules:
          - id: water
            topic: home/{meter}/water
            when: lpm > 30
            actions:
              - publish: { topic: "alerts/{{meter}}", payload: "{{lpm}}" }
            on_resolve:
              - publish: { topic: "alerts/{{meter}}", payload: "ok" }
        """;

    private sealed class Harness
    {
        public Harness(string yaml, int max, IStateStore? store = null, ILogger? logger = null)
        {
            Engine = new RuleEngine(Yaml.Rules(yaml), Sink, new EngineOptions
            {
                Clock = Clock,
                MaxSeriesPerRule = max,
                StateStore = store ?? NullStateStore.Instance,
                Logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            });
            Engine.Start();
        }

        public FakeTimeProvider Clock { get; } = new(Start);
        public RuleEngine Engine { get; }
        public ListActionSink Sink { get; } = new();
        public long Tracked => Engine.Metrics.SeriesTracked();

        public void Send(string meter, int lpm)
        {
            Clock.Advance(TimeSpan.FromMilliseconds(10));
            Engine.Process($"home/{meter}/water", Encoding.UTF8.GetBytes($$"""{"lpm": {{lpm}}}"""));
        }

        /// <summary>New series idle0..idle(count-1), each with a normal reading.</summary>
        public void SendIdle(int count)
        {
            for (var i = 0; i < count; i++)
            {
                Send($"idle{i}", 5);
            }
        }

        public IEnumerable<string> Alerts(string meter) =>
            Sink.Actions.Where(a => a.As<PublishAction>().Topic == $"alerts/{meter}").Select(a => a.PayloadText());
    }

    [Fact]
    public void A_flood_of_100k_distinct_topics_keeps_at_most_the_limit_of_series()
    {
        var h = new Harness(Threshold, max: 1_000);

        for (var i = 0; i < 100_000; i++)
        {
            h.Send($"flood{i}", 5);
            Assert.True(h.Tracked <= 1_000, $"{h.Tracked} series after {i + 1} topics");
        }

        Assert.Equal(100_000 - h.Tracked, h.Engine.Metrics.SeriesEvictedTotal);
        Assert.Equal(0, h.Engine.Metrics.SeriesRefusedTotal);
        Assert.Contains("mqttrules_series_evicted_total", h.Engine.Metrics.ToPrometheusText(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_evicted_series_comes_back_as_a_new_one_and_fires_again()
    {
        var h = new Harness(Threshold, max: 10);
        h.Send("a", 45);
        h.Send("a", 5);
        Assert.Equal(["45", "ok"], h.Alerts("a"));

        for (var i = 0; i < 20; i++)
        {
            h.Send($"other{i}", 5);
        }

        Assert.True(h.Engine.Metrics.SeriesEvictedTotal > 0);
        h.Send("a", 5); // idle again, as a new series: nothing to resolve
        h.Send("a", 46);
        Assert.Equal(["45", "ok", "46"], h.Alerts("a"));
    }

    [Fact]
    public void The_least_recently_seen_idle_series_go_first()
    {
        var h = new Harness(Threshold, max: 10);
        for (var i = 0; i < 10; i++)
        {
            h.Send($"m{i}", 5);
        }

        h.Send("m0", 5); // m0 seen again: m1 is now the oldest
        h.Send("new", 5);

        var kept = h.Engine.Metrics.SeriesTracked();
        Assert.Equal(10, kept);
        Assert.Equal(1, h.Engine.Metrics.SeriesEvictedTotal);
        h.Send("m1", 45);
        h.Send("m0", 45);
        Assert.Equal(["45"], h.Alerts("m0"));
    }

    [Fact]
    public void Firing_series_are_never_evicted_a_new_series_is_refused_instead()
    {
        var h = new Harness(Threshold, max: 10);
        for (var i = 0; i < 10; i++)
        {
            h.Send($"f{i}", 45);
        }

        h.Send("late", 50);

        Assert.Empty(h.Alerts("late"));
        Assert.Equal(1, h.Engine.Metrics.SeriesRefusedTotal);
        Assert.Equal(0, h.Engine.Metrics.SeriesEvictedTotal);
        for (var i = 0; i < 10; i++)
        {
            h.Send($"f{i}", 5);
            Assert.Equal(["45", "ok"], h.Alerts($"f{i}"));
        }
    }

    [Fact]
    public void A_pending_series_is_kept_and_fires_when_its_for_has_passed()
    {
        const string yaml = """
            rules:
              - id: water
                topic: home/{meter}/water
                when: lpm > 30
                for: 5m
                actions:
                  - publish: { topic: "alerts/{{meter}}", payload: "{{lpm}}" }
            """;
        var h = new Harness(yaml, max: 4);
        h.Send("pending", 45);
        h.SendIdle(10);

        h.Clock.Advance(TimeSpan.FromMinutes(6));
        h.Engine.AdvanceTo(h.Clock.GetUtcNow());

        Assert.Equal(["45"], h.Alerts("pending"));
        Assert.True(h.Engine.Metrics.SeriesEvictedTotal >= 7);
    }

    [Fact]
    public void A_series_in_its_cooldown_is_kept_and_stays_held_back()
    {
        const string yaml = """
            rules:
              - id: water
                topic: home/{meter}/water
                when: lpm > 30
                cooldown: 1h
                actions:
                  - publish: { topic: "alerts/{{meter}}", payload: "{{lpm}}" }
            """;
        var h = new Harness(yaml, max: 4);
        h.Send("cooling", 45);
        h.Send("cooling", 5); // resolved: idle, but its cooldown runs for an hour
        h.SendIdle(10);

        h.Send("cooling", 46);

        Assert.Equal(["45"], h.Alerts("cooling"));
        Assert.True(h.Engine.Metrics.SeriesEvictedTotal >= 7);
    }

    [Fact]
    public void Evicted_series_are_deleted_from_the_state_store()
    {
        using var tmp = new TempDb();
        using var db = tmp.Open();
        var store = new SqliteStateStore(db);
        var h = new Harness(Threshold, max: 10, store);
        for (var i = 0; i < 50; i++)
        {
            h.Send($"m{i}", 45);
            h.Send($"m{i}", 5); // fired and resolved: a stored row, idle
        }

        h.Engine.FlushState(final: true);

        var rows = store.LoadSeries();
        Assert.InRange(rows.Count, 1, 10);
        Assert.Contains(rows, r => r.Series == "home/m49/water");
        Assert.DoesNotContain(rows, r => r.Series == "home/m0/water");
    }

    [Fact]
    public void The_limit_is_reported_once_a_minute_with_counts()
    {
        var log = new CountingLogger();
        var h = new Harness(Threshold, max: 10, logger: log);
        for (var i = 0; i < 1_000; i++)
        {
            h.Send($"m{i}", 5); // 10 ms apart: 10 s in all
        }

        Assert.Single(log.Warnings);
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        h.Send("one-more", 5);
        h.Send("and-another", 5);
        Assert.Equal(2, log.Warnings.Count);
        Assert.Contains("MQTTRULES_MAX_SERIES", log.Warnings[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, SeriesLimitSetting.Default)]
    [InlineData("", SeriesLimitSetting.Default)]
    [InlineData("1", 1)]
    [InlineData(" 250000 ", 250_000)]
    public void The_limit_comes_from_MQTTRULES_MAX_SERIES(string? text, int expected) =>
        Assert.Equal(expected, SeriesLimitSetting.FromEnvironment(n => n == "MQTTRULES_MAX_SERIES" ? text : null));

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("lots")]
    [InlineData("1e6")]
    [InlineData("99999999999")]
    public void A_bad_limit_is_a_clear_error(string text)
    {
        var ex = Assert.Throws<MqttRules.Configuration.ConfigException>(() => SeriesLimitSetting.FromEnvironment(_ => text));
        Assert.Contains("MQTTRULES_MAX_SERIES", ex.Message, StringComparison.Ordinal);
    }

    private sealed class CountingLogger : ILogger
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }
}
