#pragma warning disable CA1707
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Engine;
using MqttRules.Hosting;
using MqttRules.Loading;
using MqttRules.Mqtt;

namespace MqttRules.Tests.Hosting;

public sealed class EngineLoopTests
{
    private const string Rules = """
        rules:
          - id: hot
            topic: room/{room}/temp
            when: value > 30
            for: 10s
            actions: [ { log: "{{room}} hot" } ]
        """;


    [Fact]
    public async Task RunAsync_ForTimer_FiresWhenTheClockReachesIt_WithoutAnotherMessage()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var sink = new ListActionSink();
        var engine = new RuleEngine(RuleLoader.LoadText(Rules).Rules, sink, new EngineOptions { Clock = time });
        var loop = new EngineLoop(time, NullLogger.Instance);
        using var cts = new CancellationTokenSource();
        var run = loop.RunAsync(engine, cts.Token);

        await loop.EnqueueAsync(new IncomingMessage("room/attic/temp", Encoding.UTF8.GetBytes("35")));
        var due = time.GetUtcNow() + TimeSpan.FromSeconds(10);
        await Wait.UntilAsync(() => engine.Metrics.Messages == 1 && loop.Depth == 0 && engine.NextDue == due);
        time.Advance(TimeSpan.FromSeconds(9));
        // Two messages no rule wants, the second sent once the first is evaluated: by then the loop
        // has run an iteration at 9 s, with whatever timers were due.
        await loop.EnqueueAsync(new IncomingMessage("room/attic/humidity", Encoding.UTF8.GetBytes("1")));
        await Wait.UntilAsync(() => engine.Metrics.MessagesIgnored == 1);
        await loop.EnqueueAsync(new IncomingMessage("room/attic/humidity", Encoding.UTF8.GetBytes("2")));
        await Wait.UntilAsync(() => engine.Metrics.MessagesIgnored == 2);
        Assert.Empty(sink.Actions);

        time.Advance(TimeSpan.FromSeconds(1));
        await Wait.UntilAsync(() => sink.Actions.Count == 1);

        Assert.Equal("attic hot", sink.Actions[0].LogMessage());
        Assert.Equal(time.GetUtcNow(), sink.Actions[0].Time);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Post_IdleLoop_WakesAndRunsTheRequestOnTheEngineThreadWithoutTheClockMoving()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var engine = new RuleEngine(RuleLoader.LoadText(Rules).Rules, new ListActionSink(), new EngineOptions { Clock = time });
        var loop = new EngineLoop(time, NullLogger.Instance);
        using var cts = new CancellationTokenSource();
        var run = loop.RunAsync(engine, cts.Token);
        await loop.EnqueueAsync(new IncomingMessage("room/attic/temp", Encoding.UTF8.GetBytes("35")));
        await Wait.UntilAsync(() => engine.Metrics.Messages == 1 && loop.Depth == 0);

        // The loop now waits for a message or its next timer (10 s away on a clock that does not move): only the request can wake it.
        var answer = new TaskCompletionSource<IReadOnlyList<RuleStatus>>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(e => answer.SetResult(e.Status()));
        var status = await answer.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var series = Assert.Single(Assert.Single(status).Series);
        Assert.Equal("pending", series.Phase);
        Assert.Equal(time.GetUtcNow(), series.Since);
        Assert.Equal(35, series.LastValue.Number);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunAsync_Messages_TimeOfLastEvaluationIsInTheMetrics()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var engine = new RuleEngine(RuleLoader.LoadText(Rules).Rules, new ListActionSink(), new EngineOptions { Clock = time });
        var loop = new EngineLoop(time, NullLogger.Instance);
        Assert.Contains("mqttrules_last_message_timestamp_seconds 0.000\n", engine.Metrics.ToPrometheusText(), StringComparison.Ordinal);
        using var cts = new CancellationTokenSource();
        var run = loop.RunAsync(engine, cts.Token);

        time.Advance(TimeSpan.FromMilliseconds(1500));
        await loop.EnqueueAsync(new IncomingMessage("room/attic/temp", Encoding.UTF8.GetBytes("20")));
        await Wait.UntilAsync(() => engine.Metrics.LastMessageEvaluated is not null);

        Assert.Equal(time.GetUtcNow(), engine.Metrics.LastMessageEvaluated);
        Assert.Contains("mqttrules_last_message_timestamp_seconds 1767225601.500\n", engine.Metrics.ToPrometheusText(), StringComparison.Ordinal);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunAsync_MessageNoRuleWants_LeavesTheLastEvaluationTimeAlone()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var engine = new RuleEngine(RuleLoader.LoadText(Rules).Rules, new ListActionSink(), new EngineOptions { Clock = time });
        var loop = new EngineLoop(time, NullLogger.Instance);
        using var cts = new CancellationTokenSource();
        var run = loop.RunAsync(engine, cts.Token);

        await loop.EnqueueAsync(new IncomingMessage("room/attic/humidity", Encoding.UTF8.GetBytes("20")));
        await Wait.UntilAsync(() => engine.Metrics.MessagesIgnored == 1 && loop.Depth == 0);

        Assert.Null(engine.Metrics.LastMessageEvaluated);
        Assert.Equal(0, engine.Metrics.Messages);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunAsync_Messages_AreEvaluatedInOrder()
    {
        var time = new FakeTimeProvider();
        var sink = new ListActionSink();
        var yaml = "rules:\n  - id: each\n    topic: t/+\n    each_message: true\n    actions: [ { log: \"{{payload}}\" } ]\n";
        var engine = new RuleEngine(RuleLoader.LoadText(yaml).Rules, sink, new EngineOptions { Clock = time });
        var loop = new EngineLoop(time, NullLogger.Instance, capacity: 4);
        using var cts = new CancellationTokenSource();
        var run = loop.RunAsync(engine, cts.Token);

        for (var i = 0; i < 100; i++)
        {
            await loop.EnqueueAsync(new IncomingMessage("t/x", Encoding.UTF8.GetBytes($"m{i}")));
        }

        await Wait.UntilAsync(() => sink.Actions.Count == 100);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"m{i}"), sink.Actions.Select(a => a.LogMessage()));
        Assert.Equal(0, loop.Depth);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// Issue 12: at a steady rate the state file is written once per group of messages, not once per
    /// message. The first message after a quiet spell commits at once: nothing suggests that another
    /// one would join it soon.
    /// </summary>
    [Fact]
    public async Task RunAsync_MessagesOfOneGroup_AreCommittedTogether_AndWhatIsHeldIsCommittedOnStop()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var engine = new RuleEngine(RuleLoader.LoadText(Rules).Rules, new ListActionSink(), new EngineOptions { Clock = time });
        var store = new CountingDurability(() => engine.Metrics.Messages);
        var loop = new EngineLoop(time, NullLogger.Instance) { Durability = store, CommitWindow = TimeSpan.FromHours(1), GroupLimit = 3 };
        using var cts = new CancellationTokenSource();
        var run = loop.RunAsync(engine, cts.Token);

        foreach (var (room, value) in new[] { ("a", "35"), ("b", "36"), ("c", "37"), ("d", "38"), ("e", "39") })
        {
            var before = engine.Metrics.Messages;
            await loop.EnqueueAsync(Qos1($"room/{room}/temp", value));
            await Wait.UntilAsync(() => engine.Metrics.Messages == before + 1 && loop.Depth == 0);
        }

        await Wait.UntilAsync(() => store.EvaluatedAtCommit.Contains(4)); // the fourth message filled the group
        Assert.Contains(1, store.EvaluatedAtCommit);              // the first, after a quiet spell, alone
        Assert.DoesNotContain(2, store.EvaluatedAtCommit);        // the next two waited for the fourth: one commit for three
        Assert.DoesNotContain(3, store.EvaluatedAtCommit);
        Assert.DoesNotContain(5, store.EvaluatedAtCommit);        // the fifth is held: its group is open

        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(5, store.EvaluatedAtCommit);              // and committed on the way out
    }

    /// <summary>
    /// Issue 12: QoS 0 messages wait for no acknowledgement, so what they change is not committed
    /// per message (at a house's rate that commit cost more than the rest of the message): it is
    /// committed once the last commit is a second old, and on the way out. A QoS 1 message commits
    /// (after its group's window) as before, taking along what the QoS 0 ones changed.
    /// </summary>
    [Fact]
    public async Task RunAsync_Qos0Messages_AreCommittedEverySecond_Qos1OnesBeforeTheirAcknowledgement()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var engine = new RuleEngine(RuleLoader.LoadText(Rules).Rules, new ListActionSink(), new EngineOptions { Clock = time });
        var store = new CountingDurability(() => engine.Metrics.Messages);
        var loop = new EngineLoop(time, NullLogger.Instance) { Durability = store, CommitWindow = TimeSpan.Zero };
        using var cts = new CancellationTokenSource();
        var run = loop.RunAsync(engine, cts.Token);

        for (var i = 1; i <= 3; i++)
        {
            await loop.EnqueueAsync(new IncomingMessage("room/a/temp", Encoding.UTF8.GetBytes($"3{i}")));
            await Wait.UntilAsync(() => engine.Metrics.Messages == i && loop.Depth == 0);
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Empty(store.EvaluatedAtCommit);                      // three QoS 0 messages, no commit yet

        time.Advance(TimeSpan.FromMilliseconds(800));                  // the last commit (the start) is a second old
        await loop.EnqueueAsync(new IncomingMessage("room/b/temp", Encoding.UTF8.GetBytes("20")));
        await Wait.UntilAsync(() => store.EvaluatedAtCommit.Contains(4), what: "the second's commit");

        await loop.EnqueueAsync(Qos1("room/c/temp", "20"));           // a QoS 1 message commits at once (window 0)
        await Wait.UntilAsync(() => store.EvaluatedAtCommit.Contains(5), what: "the QoS 1 message's commit");

        await loop.EnqueueAsync(new IncomingMessage("room/d/temp", Encoding.UTF8.GetBytes("20")));
        await Wait.UntilAsync(() => engine.Metrics.Messages == 6 && loop.Depth == 0);
        Assert.DoesNotContain(6, store.EvaluatedAtCommit);

        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(6, store.EvaluatedAtCommit);                  // and on the way out
    }

    /// <summary>
    /// Issue 12: QoS 0 messages do not wait a whole second when many series wait to be written: a
    /// commit of ten thousand rows at once held up the messages behind it (10,000 rules).
    /// </summary>
    [Fact]
    public async Task RunAsync_Qos0Messages_CommitOnceManySeriesWait()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var engine = new RuleEngine(RuleLoader.LoadText(Rules).Rules, new ListActionSink(), new EngineOptions { Clock = time });
        var store = new CountingDurability(() => engine.Metrics.Messages);
        var loop = new EngineLoop(time, NullLogger.Instance) { Durability = store, WaitingLimit = 3 };
        using var cts = new CancellationTokenSource();
        var run = loop.RunAsync(engine, cts.Token);

        store.Waiting = 2;
        await loop.EnqueueAsync(new IncomingMessage("room/a/temp", Encoding.UTF8.GetBytes("31")));
        await Wait.UntilAsync(() => engine.Metrics.Messages == 1 && loop.Depth == 0);
        Assert.Empty(store.EvaluatedAtCommit);

        store.Waiting = 3;
        await loop.EnqueueAsync(new IncomingMessage("room/b/temp", Encoding.UTF8.GetBytes("32")));
        await Wait.UntilAsync(() => store.EvaluatedAtCommit.Contains(2), what: "the commit of the waiting series");

        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// Issue 12: while something waits to be committed an idle loop wakes every second to commit it;
    /// once everything is settled it arms no timer at all (no wake-ups until the next message).
    /// </summary>
    [Fact]
    public async Task RunAsync_Idle_TicksEverySecondWhileUnsettled_AndArmsNoTimerOnceSettled()
    {
        var time = new WatchedClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var engine = new RuleEngine(RuleLoader.LoadText(Rules).Rules, new ListActionSink(), new EngineOptions { Clock = time });
        var store = new CountingDurability(() => engine.Metrics.Messages) { Settled = false };
        var loop = new EngineLoop(time, NullLogger.Instance) { Durability = store, CommitWindow = TimeSpan.Zero };
        using var cts = new CancellationTokenSource();
        var run = loop.RunAsync(engine, cts.Token);
        await loop.EnqueueAsync(new IncomingMessage("room/attic/temp", Encoding.UTF8.GetBytes("20")));
        await Wait.UntilAsync(() => engine.Metrics.Messages == 1 && loop.Depth == 0);

        for (var i = 0; i < 3; i++)
        {
            await Wait.UntilAsync(() => time.Armed, what: "the next tick");
            var commits = store.EvaluatedAtCommit.Count;
            time.Advance(TimeSpan.FromSeconds(1));
            await Wait.UntilAsync(() => store.EvaluatedAtCommit.Count > commits, what: "the commit of an unsettled idle second");
        }

        store.Settled = true;
        var settledAt = time.Changes.Count;
        time.Advance(TimeSpan.FromSeconds(1)); // the tick already armed ends the wait; the next wait has none
        await Wait.UntilAsync(() => time.Changes.Skip(settledAt).Contains(Timeout.InfiniteTimeSpan), what: "a wait without a timer");
        time.Advance(TimeSpan.FromMinutes(1));
        await TurnAsync(loop);
        await TurnAsync(loop); // by now the first turn's wait has begun

        Assert.All(time.Changes.Skip(settledAt + 1), due => Assert.Equal(Timeout.InfiniteTimeSpan, due));
        Assert.False(time.Armed);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Runs a request on the loop and waits for it.</summary>
    private static async Task TurnAsync(EngineLoop loop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(_ => done.SetResult());
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>A fake clock that records every due time its (one-shot) timers are set to, and whether one is armed.</summary>
    private sealed class WatchedClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private int armed;

        public System.Collections.Concurrent.ConcurrentQueue<TimeSpan> Changes { get; } = new();
        public bool Armed => Volatile.Read(ref armed) > 0;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var watched = new Watched(this);
            watched.Inner = base.CreateTimer(s => { watched.Fired(); callback(s); }, state, dueTime, period);
            watched.Set(dueTime);
            return watched;
        }

        private sealed class Watched(WatchedClock clock) : ITimer
        {
            private bool on;

            public ITimer Inner { get; set; } = null!;

            public void Set(TimeSpan due)
            {
                clock.Changes.Enqueue(due);
                Arm(due != Timeout.InfiniteTimeSpan);
            }

            public void Fired() => Arm(false);

            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                Set(dueTime);
                return Inner.Change(dueTime, period);
            }

            public void Dispose()
            {
                Arm(false);
                Inner.Dispose();
            }

            public ValueTask DisposeAsync()
            {
                Arm(false);
                return Inner.DisposeAsync();
            }

            private void Arm(bool value)
            {
                lock (this)
                {
                    if (on != value)
                    {
                        on = value;
                        Interlocked.Add(ref clock.armed, value ? 1 : -1);
                    }
                }
            }
        }
    }

    /// <summary>Records how many messages the engine had evaluated at each commit.</summary>
    /// <summary>A QoS 1 message (acknowledged after its commit; here on no connection).</summary>
    internal static IncomingMessage Qos1(string topic, string payload) => new(topic, Encoding.UTF8.GetBytes(payload), 1, null);

    private sealed class CountingDurability(Func<long> evaluated) : IDurability
    {
        public System.Collections.Concurrent.ConcurrentQueue<long> EvaluatedAtCommit { get; } = new();

        public bool Commit()
        {
            EvaluatedAtCommit.Enqueue(evaluated());
            return true;
        }

        public string? Problem => null;

        public bool Settled { get; set; }

        public int Waiting { get; set; }
    }
}
