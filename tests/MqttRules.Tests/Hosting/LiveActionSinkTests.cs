#pragma warning disable CA1707
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using MqttRules.Actions;
using MqttRules.Actions.Log;
using MqttRules.Actions.Publish;
using MqttRules.Actions.Tweet;
using MqttRules.Actions.Webhook;
using MqttRules.Diagnostics;
using MqttRules.Hosting;
using MqttRules.Mqtt;
using MqttRules.Rules;

namespace MqttRules.Tests.Hosting;

public sealed class LiveActionSinkTests
{
    private static readonly ActionOrigin Origin = new(DateTimeOffset.UnixEpoch, "r", RuleEvent.Fire, "s");

    private static PublishAction Publish(string topic, string payload, int qos = 1) =>
        new() { Origin = Origin, Topic = topic, Payload = Encoding.UTF8.GetBytes(payload), Qos = qos };

    [Fact]
    public async Task RunAsync_Publishes_InSubmissionOrderAndCounts()
    {
        var broker = new FakePublisher();
        var metrics = new EngineMetrics();
        var sink = new LiveActionSink(broker, NullLogger.Instance, metrics);
        for (var i = 0; i < 200; i++)
        {
            sink.Submit(Publish($"t/{i}", $"{i}"));
        }

        sink.Complete();
        await sink.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"t/{i}={i}"), broker.Sent);
        Assert.Equal(200, metrics.ActionCount("publish", "ok"));
    }

    [Fact]
    public async Task RunAsync_BrokerReceiveMaximum_BoundsThePublishesAwaitingAcknowledgement()
    {
        var broker = new FakePublisher { ReceiveMaximum = 3, HoldAcknowledgements = true };
        var sink = new LiveActionSink(broker, NullLogger.Instance, new EngineMetrics());
        for (var i = 0; i < 20; i++)
        {
            sink.Submit(Publish($"t/{i}", $"{i}"));
        }

        sink.Complete();
        var run = sink.RunAsync(CancellationToken.None);
        broker.AcknowledgeAll();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(20, broker.Sent.Count);
        Assert.Equal(3, broker.MostUnacknowledged);
    }

    [Fact]
    public async Task RunAsync_QosZeroWaitingToBeReadByTheBroker_CountsOnlyAgainstTheWindow_NotTheReceiveMaximum()
    {
        var broker = new FakePublisher { ReceiveMaximum = 3, HoldAcknowledgements = true };
        var sink = new LiveActionSink(broker, NullLogger.Instance, new EngineMetrics()) { Window = 10 };
        for (var i = 0; i < 40; i++)
        {
            sink.Submit(Publish($"t/{i}", $"{i}", qos: 0));
        }

        sink.Complete();
        var run = sink.RunAsync(CancellationToken.None);
        broker.AcknowledgeAll();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(40, broker.Sent.Count);
        Assert.Equal(10, broker.MostUnacknowledged);
    }

    [Fact]
    public async Task RunAsync_BrokerAway_WaitsForTheConnectionAndSendsThen()
    {
        var broker = new FakePublisher { Connected = false };
        var sink = new LiveActionSink(broker, NullLogger.Instance, new EngineMetrics());
        sink.Submit(Publish("valves/main/set", "CLOSE"));
        sink.Complete();
        var run = sink.RunAsync(CancellationToken.None);
        await broker.Waiting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(broker.Sent);

        broker.Connect();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["valves/main/set=CLOSE"], broker.Sent);
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsEvenWhileTheBrokerIsAway()
    {
        var broker = new FakePublisher { Connected = false };
        var sink = new LiveActionSink(broker, NullLogger.Instance, new EngineMetrics());
        sink.Submit(Publish("a", "b"));
        using var cts = new CancellationTokenSource();
        var run = sink.RunAsync(cts.Token);

        await cts.CancelAsync();

        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(broker.Sent);
    }

    [Fact]
    public void Submit_ExternalWithoutOutbox_IsCountedNotSent()
    {
        var metrics = new EngineMetrics();
        var sink = new LiveActionSink(new FakePublisher(), NullLogger.Instance, metrics);

        sink.Submit(new TweetAction { Origin = Origin, Text = "hi" });
        sink.Submit(new LogAction { Origin = Origin, Message = "m", Level = "warning" });

        Assert.Equal(1, metrics.ActionCount("tweet", "not_sent"));
        Assert.Equal(1, metrics.ActionCount("log", "ok"));
        Assert.Equal(0, sink.PendingPublishes);
    }

    [Fact]
    public void Submit_ExternalWithOutbox_GoesToTheOutbox()
    {
        var outbox = new ListActionSink();
        var sink = new LiveActionSink(new FakePublisher(), NullLogger.Instance, new EngineMetrics()) { External = outbox };

        sink.Submit(new WebhookAction { Origin = Origin, Url = "http://h/" });

        Assert.Single(outbox.Actions);
    }

    [Fact]
    public void DryRun_CountsAndSendsNothing()
    {
        var metrics = new EngineMetrics();
        new DryRunActionSink(NullLogger.Instance, metrics).Submit(Publish("a", "b"));

        Assert.Equal(1, metrics.ActionCount("publish", "dry_run"));
    }

    [Theory]
    [InlineData(ActionKind.Publish, "publish valves/main/set \"CLOSE\" (qos 1)")]
    [InlineData(ActionKind.Tweet, "tweet \"Water!\"")]
    public void ActionText_Describe_ReadsLikeASentence(ActionKind kind, string expected)
    {
        RenderedAction a = kind == ActionKind.Tweet ? new TweetAction { Origin = Origin, Text = "Water!" } : Publish("valves/main/set", "CLOSE");

        Assert.Equal(expected, ActionText.Describe(a));
        Assert.Equal("r fired for s", ActionText.Event(a));
    }

    private sealed class FakePublisher : IMqttPublisher
    {
        private readonly TaskCompletionSource up = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<string> Sent { get; } = [];

        public bool Connected { get; set; } = true;

        public bool IsConnected => Connected;

        public int ReceiveMaximum { get; init; } = ushort.MaxValue;

        /// <summary>Acknowledgements wait for <see cref="AcknowledgeAll"/>.</summary>
        public bool HoldAcknowledgements { get; init; }

        public int MostUnacknowledged { get; private set; }

        private readonly TaskCompletionSource acknowledge = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int unacknowledged;

        public void AcknowledgeAll() => acknowledge.TrySetResult();

        public void Connect()
        {
            Connected = true;
            up.TrySetResult();
        }

        /// <summary>Like MQTTnet: the packet is queued for the wire in call order, the acknowledgement comes later.</summary>
        public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken ct)
        {
            if (!Connected)
            {
                await Task.Yield();
                throw new MqttNotConnectedException("down");
            }

            lock (Sent)
            {
                Sent.Add($"{topic}={Encoding.UTF8.GetString(payload.Span)}");
                MostUnacknowledged = Math.Max(MostUnacknowledged, ++unacknowledged);
            }

            if (HoldAcknowledgements)
            {
                await acknowledge.Task.WaitAsync(ct);
            }

            await Task.Yield();
            lock (Sent)
            {
                unacknowledged--;
            }
        }

        /// <summary>Completes when someone waits for the connection while it is down.</summary>
        public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task WaitConnectedAsync(CancellationToken ct)
        {
            if (Connected)
            {
                return Task.CompletedTask;
            }

            Waiting.TrySetResult();
            return up.Task.WaitAsync(ct);
        }
    }
}
