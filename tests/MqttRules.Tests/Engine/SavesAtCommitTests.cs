using System.Text;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Engine;
using MqttRules.Loading;
using MqttRules.State;

namespace MqttRules.Tests.Engine;

/// <summary>
/// Issue 12: in <c>run</c> the engine loop saves the rule state before each commit of the state
/// file, so a transition is not copied for the store the moment it happens (a series that fires and
/// resolves between two commits is copied once); elsewhere (replay, test) a transition is saved at once.
/// </summary>
public sealed class SavesAtCommitTests
{
    private const string Rules = """
        rules:
          - id: water
            topic: home/{meter}/water
            when: lpm > 30
            actions:
              - log: "{{meter}}: {{lpm}} l/min"
        """;

    private sealed class CountingStore : IStateStore
    {
        public List<IReadOnlyCollection<SeriesSnapshot>> Saves { get; } = [];

        public IReadOnlyList<SeriesSnapshot> LoadSeries() => [];

        public void SaveSeries(IReadOnlyCollection<SeriesSnapshot> snapshots) => Saves.Add([.. snapshots]);
    }

    private static (RuleEngine Engine, CountingStore Store, FakeTimeProvider Clock) Create(bool savesAtCommit)
    {
        var loaded = RuleLoader.LoadText(Rules);
        Assert.Empty(loaded.Problems);
        var store = new CountingStore();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero));
        var engine = new RuleEngine(loaded.Rules, new ListActionSink(), new EngineOptions { Clock = clock, StateStore = store, SavesAtCommit = savesAtCommit });
        engine.Start();
        return (engine, store, clock);
    }

    private static void Send(RuleEngine engine, FakeTimeProvider clock, double lpm)
    {
        clock.Advance(TimeSpan.FromMilliseconds(500));
        engine.Process("home/m1/water", Encoding.UTF8.GetBytes($$"""{"lpm": {{lpm}}}"""));
        engine.AdvanceTo(clock.GetUtcNow());
    }

    [Fact]
    public void SavesAtCommit_TransitionsWaitForFlushState_WhichSavesTheLatestOnce()
    {
        var (engine, store, clock) = Create(savesAtCommit: true);

        Send(engine, clock, 45); // fires
        Send(engine, clock, 20); // resolves
        Send(engine, clock, 50); // fires again
        Assert.Empty(store.Saves);
        Assert.Equal(1, engine.UnsavedSeries);

        engine.FlushState();

        var saved = Assert.Single(Assert.Single(store.Saves));
        Assert.Equal(("water", "home/m1/water", Phase.Firing), (saved.RuleId, saved.Series, saved.Phase));
        Assert.Equal(0, engine.UnsavedSeries);
    }

    [Fact]
    public void Otherwise_EachTransitionIsSavedAtOnce()
    {
        var (engine, store, clock) = Create(savesAtCommit: false);

        Send(engine, clock, 45);
        Send(engine, clock, 20);

        Assert.Equal([Phase.Firing, Phase.Idle], store.Saves.Select(s => Assert.Single(s).Phase));
    }
}
