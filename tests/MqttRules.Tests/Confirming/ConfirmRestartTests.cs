using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Actions.Publish;
using MqttRules.Diagnostics;
using MqttRules.Engine;
using MqttRules.Loading;
using MqttRules.Storage;
using MqttRules.TestSupport;
using static MqttRules.Tests.Confirming.ConfirmRules;

namespace MqttRules.Tests.Confirming;

/// <summary>Pending confirmations live in the state file: a restart in the middle of a wait keeps its clock.</summary>
public class ConfirmRestartTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Restart_InTheMiddleOfTheWait_ResendsOnTime()
    {
        using var temp = new TempDb();
        var clock = new FakeTimeProvider(T0);
        Run(temp, clock, e => e.Process("home/a/leak", """{"leak": true}"""u8.ToArray()));

        clock.Advance(4 * Second); // down from 00:00 to 00:04
        var after = Run(temp, clock, e =>
        {
            clock.Advance(5 * Second);
            e.AdvanceTo(clock.GetUtcNow());
            Assert.Equal(T0 + 10 * Second, e.NextDue);
            clock.Advance(Second);
            e.AdvanceTo(clock.GetUtcNow());
        });

        var retry = Assert.Single(after);
        Assert.Equal((RuleEvent.Retry, T0 + 10 * Second, "valves/a/set", "CLOSE"), (retry.Event, retry.Time, ((PublishAction)retry).Topic, ((PublishAction)retry).PayloadText));
    }

    [Fact]
    public void Restart_AnswerAfterTheRestart_Confirms()
    {
        using var temp = new TempDb();
        var clock = new FakeTimeProvider(T0);
        Run(temp, clock, e => e.Process("home/a/leak", """{"leak": true}"""u8.ToArray()));

        clock.Advance(3 * Second);
        var metrics = new EngineMetrics();
        var after = Run(temp, clock, e =>
        {
            e.Process("valves/a/state", "CLOSED"u8.ToArray());
            clock.Advance(TimeSpan.FromMinutes(5));
            e.AdvanceTo(clock.GetUtcNow());
        }, metrics);

        Assert.Empty(after);
        Assert.Equal(1, metrics.Confirmations("valve", "confirmed"));
    }

    [Fact]
    public void Restart_AfterASecondSend_CountsTheSendsFromBeforeTheStop()
    {
        using var temp = new TempDb();
        var clock = new FakeTimeProvider(T0);
        Run(temp, clock, e =>
        {
            e.Process("home/a/leak", """{"leak": true}"""u8.ToArray());
            clock.Advance(10 * Second);
            e.AdvanceTo(clock.GetUtcNow());
        });

        clock.Advance(2 * Second);
        var after = Run(temp, clock, e =>
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            e.AdvanceTo(clock.GetUtcNow());
        });

        Assert.Equal(
            [(RuleEvent.Retry, T0 + 20 * Second), (RuleEvent.Unconfirmed, T0 + 30 * Second)],
            after.Select(a => (a.Event, a.Time)));
        Assert.Equal("valve a did not close after 3 sends (valves/a/state silent)", ((MqttRules.Actions.Log.LogAction)after[^1]).Message);
    }

    [Fact]
    public void Restart_WaitEndedWhileDown_RetainedAnswerOnSubscribingStillConfirms()
    {
        using var temp = new TempDb();
        var clock = new FakeTimeProvider(T0);
        Run(temp, clock, e => e.Process("home/a/leak", """{"leak": true}"""u8.ToArray()));

        clock.Advance(TimeSpan.FromMinutes(5)); // the wait ended at 00:10, while the engine was down
        var after = Run(temp, clock, e =>
        {
            Assert.Equal(clock.GetUtcNow() + ConfirmationJournal.RestartGrace, e.NextDue);
            clock.Advance(Second);
            e.Process("valves/a/state", "CLOSED"u8.ToArray()); // the retained state, delivered on subscribing
            clock.Advance(TimeSpan.FromMinutes(1));
            e.AdvanceTo(clock.GetUtcNow());
        });

        Assert.Empty(after);
    }

    [Fact]
    public void Restart_WaitEndedWhileDownAndNoAnswer_ResendsAfterTheGrace()
    {
        using var temp = new TempDb();
        var clock = new FakeTimeProvider(T0);
        Run(temp, clock, e => e.Process("home/a/leak", """{"leak": true}"""u8.ToArray()));

        clock.Advance(TimeSpan.FromMinutes(5));
        var restartedAt = clock.GetUtcNow();
        var after = Run(temp, clock, e =>
        {
            clock.Advance(TimeSpan.FromSeconds(6));
            e.AdvanceTo(clock.GetUtcNow());
        });

        var retry = Assert.Single(after);
        Assert.Equal((RuleEvent.Retry, restartedAt + ConfirmationJournal.RestartGrace), (retry.Event, retry.Time));
    }

    [Fact]
    public void Restart_Confirmed_NothingLeftInTheStateFile()
    {
        using var temp = new TempDb();
        var clock = new FakeTimeProvider(T0);
        Run(temp, clock, e =>
        {
            e.Process("home/a/leak", """{"leak": true}"""u8.ToArray());
            e.Process("valves/a/state", "CLOSED"u8.ToArray());
        });

        using var db = temp.Open();
        Assert.Empty(new SqliteStateStore(db).LoadConfirmations());
    }

    [Fact]
    public void Restart_RuleRemoved_StoredWaitDropped()
    {
        using var temp = new TempDb();
        var clock = new FakeTimeProvider(T0);
        Run(temp, clock, e => e.Process("home/a/leak", """{"leak": true}"""u8.ToArray()));

        var after = Run(temp, clock, e =>
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            e.AdvanceTo(clock.GetUtcNow());
            Assert.Equal(0, e.PendingConfirmations);
        }, rules: "rules:\n  - { id: other, topic: a/b, when: value > 1, actions: [ { log: x } ] }\n");

        Assert.Empty(after);
    }

    private static List<RenderedAction> Run(TempDb temp, FakeTimeProvider clock, Action<RuleEngine> act, EngineMetrics? metrics = null, string rules = Valve)
    {
        var loaded = RuleLoader.LoadText(rules);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        using var db = temp.Open();
        var sink = new ListActionSink();
        var engine = new RuleEngine(loaded.Rules, sink, new EngineOptions { Clock = clock, StateStore = new SqliteStateStore(db), Metrics = metrics ?? new() });
        engine.Start();
        act(engine);
        engine.FlushState(final: true);
        return sink.Actions;
    }
}
