using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Actions.Publish;
using MqttRules.Engine;
using MqttRules.Loading;
using MqttRules.Storage;

namespace MqttRules.Tests.Storage;

/// <summary>The history behind last() and window aggregates survives a restart (SPEC §3: durable history).</summary>
public class HistoryRestartTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 17, 0, 0, TimeSpan.Zero);

    private const string Rules = """
        rules:
          - id: porch-light
            schedule: "30 18 * * *"
            when: last('home/porch/lux', 'lux') < 50
            actions:
              - publish: { topic: switches/porch/set, payload: "ON" }
        """;

    [Fact]
    public void Restart_AfterLuxReading_ScheduleSeesTheReadingFromBeforeTheRestart()
    {
        using var temp = new TempDb();
        var clock = new FakeTimeProvider(T0);
        var before = Run(temp, clock, (engine, _) => engine.Process("home/porch/lux", """{"lux": 12}"""u8.ToArray()), final: true);
        Assert.Empty(before);

        clock.Advance(TimeSpan.FromMinutes(10));
        var after = Run(temp, clock, (engine, _) =>
        {
            clock.Advance(TimeSpan.FromHours(2));
            engine.AdvanceTo(clock.GetUtcNow());
        }, final: true);

        var on = Assert.Single(after);
        Assert.Equal("switches/porch/set", on.As<PublishAction>().Topic);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 18, 30, 0, TimeSpan.Zero), on.Time);
    }

    [Fact]
    public void FlushState_NotFinal_HistorySavedAtMostOnceAMinute()
    {
        using var temp = new TempDb();
        var clock = new FakeTimeProvider(T0);
        Run(temp, clock, (engine, _) => engine.Process("home/porch/lux", """{"lux": 12}"""u8.ToArray()), final: false);

        clock.Advance(TimeSpan.FromMinutes(10));
        var after = Run(temp, clock, (engine, _) =>
        {
            clock.Advance(TimeSpan.FromHours(2));
            engine.AdvanceTo(clock.GetUtcNow());
        }, final: true);

        Assert.Empty(after);
    }

    private static List<RenderedAction> Run(TempDb temp, FakeTimeProvider clock, Action<RuleEngine, ListActionSink> act, bool final)
    {
        var loaded = RuleLoader.LoadText(Rules);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        using var db = temp.Open();
        var sink = new ListActionSink();
        var options = MqttRules.Hosting.EngineComposition.ForRules(loaded.Rules, new EngineOptions { Clock = clock, StateStore = new SqliteStateStore(db) });
        var engine = new RuleEngine(loaded.Rules, sink, options);
        engine.Start();
        act(engine, sink);
        engine.FlushState(final);
        return sink.Actions;
    }
}
