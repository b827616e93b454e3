using System.Text;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Engine;
using MqttRules.Loading;
using MqttRules.State;
using MqttRules.Storage;

namespace MqttRules.Tests.Storage;

public class SqliteStateStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const string Rules = """
        rules:
          - id: hot
            topic: sensors/{room}/temp
            when: value > 30
            actions:
              - log: "hot {{room}}"
          - id: humid
            topic: sensors/{room}/humidity
            when: value > 80
            for: 5m
            actions:
              - log: "humid {{room}}"
        """;

    [Fact]
    public void SaveSeries_ThenLoad_RoundTripsEveryField()
    {
        using var temp = new TempDb();
        var snap = new SeriesSnapshot("r", "a/b", Phase.Firing, T0, T0.AddMinutes(1), T0.AddMinutes(2), T0.AddMinutes(3),
            "a/b", [1, 2, 3], ["x", null], "{\"n\":1}");
        using (var db = temp.Open())
        {
            new SqliteStateStore(db).SaveSeries([snap]);
        }

        using var reopened = temp.Open();
        var loaded = Assert.Single(new SqliteStateStore(reopened).LoadSeries());

        Assert.Equal(snap with { LastPayload = null, LastCaptures = null }, loaded with { LastPayload = null, LastCaptures = null });
        Assert.Equal(snap.LastPayload, loaded.LastPayload);
        Assert.Equal(snap.LastCaptures, loaded.LastCaptures);
    }

    [Fact]
    public void SaveSeries_SameKeyTwice_LastWins()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var store = new SqliteStateStore(db);
        var first = new SeriesSnapshot("r", "s", Phase.Pending, T0, null, T0.AddMinutes(5), T0, null, null, null, null);

        store.SaveSeries([first]);
        store.SaveSeries([first with { Phase = Phase.Idle, Due = null }]);

        var loaded = Assert.Single(store.LoadSeries());
        Assert.Equal(Phase.Idle, loaded.Phase);
        Assert.Null(loaded.Due);
    }

    [Fact]
    public void Restart_AfterFire_FurtherMatchingMessageDoesNotFireAgain()
    {
        using var temp = new TempDb();
        var clock = new FakeTimeProvider(T0);
        var first = Run(temp, clock, (engine, _) => engine.Process("sensors/kitchen/temp", "35"u8.ToArray()));
        Assert.Single(first);

        clock.Advance(TimeSpan.FromMinutes(1));
        var second = Run(temp, clock, (engine, _) => engine.Process("sensors/kitchen/temp", "36"u8.ToArray()));

        Assert.Empty(second);
    }

    [Fact]
    public void Restart_WhilePendingFor_FiresWhenForEnds()
    {
        using var temp = new TempDb();
        var clock = new FakeTimeProvider(T0);
        var before = Run(temp, clock, (engine, _) =>
        {
            engine.Process("sensors/bath/humidity", "90"u8.ToArray());
            clock.Advance(TimeSpan.FromMinutes(2));
            engine.AdvanceTo(clock.GetUtcNow());
        });
        Assert.Empty(before);

        clock.Advance(TimeSpan.FromMinutes(1));
        var after = Run(temp, clock, (engine, sink) =>
        {
            engine.AdvanceTo(T0.AddMinutes(4));
            Assert.Empty(sink.Actions);
            clock.Advance(TimeSpan.FromMinutes(2));
            engine.AdvanceTo(clock.GetUtcNow());
        });

        var fired = Assert.Single(after);
        Assert.Equal("humid", fired.RuleId);
        Assert.Equal("humid bath", fired.LogMessage());
        Assert.Equal(T0.AddMinutes(5), fired.Time);
    }

    /// <summary>One engine lifetime over the database file: open, start, act, flush, close.</summary>
    private static List<RenderedAction> Run(TempDb temp, FakeTimeProvider clock, Action<RuleEngine, ListActionSink> act)
    {
        var loaded = RuleLoader.LoadText(Rules);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        using var db = temp.Open();
        var sink = new ListActionSink();
        var engine = new RuleEngine(loaded.Rules, sink, new EngineOptions { Clock = clock, StateStore = new SqliteStateStore(db) });
        engine.Start();
        act(engine, sink);
        engine.FlushState();
        return sink.Actions;
    }
}

public class StateDatabaseTests
{
    [Fact]
    public void Open_MissingFolder_ErrorNamesPathAndSetting()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-folder-{Guid.NewGuid():N}", "state.db");

        var ex = Assert.Throws<StateFileException>(() => StateDatabase.Open(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("MQTTRULES_STATE", ex.Message);
    }

    [Fact]
    public void Open_NotADatabase_ErrorNamesPath()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "this is not sqlite, just some text that is long enough to have a header ...................................");
        try
        {
            var ex = Assert.Throws<StateFileException>(() => StateDatabase.Open(path));

            Assert.Contains(path, ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Open_NewFile_WalMode()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        using var cmd = db.Command("PRAGMA journal_mode");

        Assert.Equal("wal", cmd.ExecuteScalar());
    }
}
