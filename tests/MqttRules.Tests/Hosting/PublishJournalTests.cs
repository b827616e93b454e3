#pragma warning disable CA1707
using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using MqttRules.Actions;
using MqttRules.Actions.Publish;
using MqttRules.Diagnostics;
using MqttRules.Hosting;
using MqttRules.Mqtt;
using MqttRules.Outbox;
using MqttRules.Rules;
using MqttRules.Storage;

namespace MqttRules.Tests.Hosting;

/// <summary>
/// Issue 10.1 and 10.4: a publish is durable until the broker has it, is sent again after a crash,
/// and one the broker refuses (or that costs the connection every time) goes to the dead letters.
/// </summary>
public sealed class PublishJournalTests
{
    private static PublishAction Publish(string topic, string payload, int qos = 1) => new()
    {
        Time = DateTimeOffset.UnixEpoch, RuleId = "valve", Event = RuleEvent.Fire, Series = "s",
        Topic = topic, Payload = System.Text.Encoding.UTF8.GetBytes(payload), Qos = qos,
    };

    private static LiveActionSink Sink(IMqttPublisher broker, StateDatabase db, EngineMetrics? metrics = null) =>
        new(broker, NullLogger.Instance, metrics ?? new EngineMetrics()) { Journal = new PublishJournal(db), MaxConnectionLosses = 3 };

    [Fact]
    public async Task Checkpoint_UnacknowledgedPublishes_AreJournaledUntilTheBrokerHasThem()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var broker = new Broker { Hold = true };
        var sink = Sink(broker, db);
        sink.Resume();
        var run = sink.RunAsync(CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            sink.Submit(Publish("valves/main/set", $"CLOSE {i}"));
        }

        sink.Checkpoint();
        Assert.Equal(5, new PublishJournal(db).Count());

        broker.Release();
        sink.Complete();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        sink.Checkpoint();

        Assert.Equal(0, new PublishJournal(db).Count());
        Assert.Equal(5, broker.Sent.Count);
    }

    [Fact]
    public async Task Checkpoint_QosZeroNotYetReadByTheBroker_IsJournaledUntilItIs()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var broker = new Broker { Hold = true };
        var sink = Sink(broker, db);
        sink.Resume();
        var run = sink.RunAsync(CancellationToken.None);

        // Written to the socket is not received: a crash now would lose it with the send buffer.
        sink.Submit(Publish("lights/hall/set", "ON", qos: 0));
        sink.Checkpoint();
        Assert.Equal(1, new PublishJournal(db).Count());

        broker.Release();
        sink.Complete();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        sink.Checkpoint();

        Assert.Equal(0, new PublishJournal(db).Count());
        Assert.Equal(["lights/hall/set=ON"], broker.Sent);
    }

    [Fact]
    public async Task Resume_AfterACrash_SendsWhatTheJournalHoldsFirst_WithItsId()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var crashed = Sink(new Broker { Hold = true }, db);
        crashed.Resume();
        var close = Publish("valves/main/set", "CLOSE");
        crashed.Submit(close);
        crashed.Checkpoint();
        // the process dies here: the broker never acknowledged CLOSE

        var broker = new Broker();
        var restarted = Sink(broker, db);
        Assert.Equal(1, restarted.Resume());
        restarted.Submit(Publish("valves/main/set", "OPEN"));
        restarted.Complete();
        await restarted.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        restarted.Checkpoint();

        Assert.Equal(["valves/main/set=CLOSE", "valves/main/set=OPEN"], broker.Sent);
        Assert.Equal(0, new PublishJournal(db).Count());
        var journaled = new PublishJournal(db).Load();
        Assert.Empty(journaled);
    }

    [Fact]
    public async Task RefusedByTheBroker_IsDeadLetteredWithTheReason_AndTheOthersGoOn()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var metrics = new EngineMetrics();
        var broker = new Broker { Refuse = "bad/topic" };
        var sink = Sink(broker, db, metrics);
        sink.Resume();
        var run = sink.RunAsync(CancellationToken.None);

        sink.Submit(Publish("bad/topic", "x"));
        sink.Submit(Publish("good/topic", "y"));
        sink.Checkpoint();
        sink.Complete();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        sink.Checkpoint();

        Assert.Equal(["good/topic=y"], broker.Sent);
        Assert.Equal(1, metrics.ActionCount("publish", "dead_letter"));
        Assert.Equal(1, new OutboxStore(db).DeadLetters());
        Assert.Contains("NotAuthorized", DeadLetterError(db), StringComparison.Ordinal);
        Assert.Equal(0, new PublishJournal(db).Count());
    }

    [Fact]
    public async Task ConnectionLostEveryTimeItIsSent_IsDeadLetteredAfterTheLimit_NotResentForever()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var broker = new Broker { Poison = "a\nb" };
        var sink = Sink(broker, db);
        sink.Resume();
        var run = sink.RunAsync(CancellationToken.None);

        sink.Submit(Publish("a\nb", "x"));
        sink.Submit(Publish("after", "y"));
        sink.Complete();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(3, broker.PoisonAttempts);
        Assert.Equal(["after=y"], broker.Sent);
        Assert.Contains("lost each of the 3 times", DeadLetterError(db), StringComparison.Ordinal);
    }

    private static string DeadLetterError(StateDatabase db)
    {
        using var cmd = db.Command("SELECT error FROM dead_letter");
        return (string)cmd.ExecuteScalar()!;
    }

    /// <summary>
    /// A broker stand-in: acknowledges (or holds; QoS 0 too, as the connection holds it until the
    /// broker answered a ping), refuses one topic, drops the connection on another.
    /// </summary>
    private sealed class Broker : IMqttPublisher
    {
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<string> SentQueue { get; } = new();
        public List<string> Sent => [.. SentQueue];
        public bool Hold { get; init; }
        public string? Refuse { get; init; }
        public string? Poison { get; init; }
        public int PoisonAttempts;

        public bool IsConnected => true;

        public void Release() => released.TrySetResult();

        public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken ct)
        {
            await Task.Yield();
            if (topic == Poison)
            {
                Interlocked.Increment(ref PoisonAttempts);
                throw new MqttNotConnectedException("connection to the broker failed: closed", afterSending: true);
            }

            if (topic == Refuse)
            {
                throw new MqttPublishRefusedException($"the broker refused the publish to '{topic}': NotAuthorized (0x87)");
            }

            if (Hold)
            {
                await released.Task.WaitAsync(ct);
            }

            SentQueue.Enqueue($"{topic}={Encoding.UTF8.GetString(payload.Span)}");
        }

        public Task WaitConnectedAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
