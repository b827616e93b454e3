using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using MqttRules.Engine;
using MqttRules.Mqtt;
using MqttRules.Presence;
using MqttRules.TestSupport;

namespace MqttRules.Tests.Presence;

/// <summary>Issue 15.2: what the presence publisher sends, in which order, and that it never waits in the engine's way.</summary>
public sealed class PresencePublisherTests
{
    private static readonly DateTimeOffset T = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Our own seam to the connection (the broker itself is exercised in the integration tests).</summary>
    private sealed class Recording : IMqttPublisher
    {
        private TaskCompletionSource up = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<string> Sent { get; } = [];

        public bool IsConnected => up.Task.IsCompleted;

        public void Connect() => up.TrySetResult();

        public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken ct)
        {
            lock (Sent)
            {
                Sent.Add($"{(retain ? "R " : "")}{topic} {Encoding.UTF8.GetString(payload.Span)} q{qos}");
            }

            return Task.CompletedTask;
        }

        public Task WaitConnectedAsync(CancellationToken ct) => up.Task.WaitAsync(ct);

        public string[] Snapshot()
        {
            lock (Sent)
            {
                return [.. Sent];
            }
        }
    }

    private static PresencePublisher Publisher(Recording broker, bool events = true, bool discovery = false, MqttRules.Diagnostics.EngineMetrics? metrics = null) =>
        new(new PresenceSettings { Events = events, HaDiscovery = discovery, HaDiscoveryPrefix = "ha" }, new PresenceTopics("p"), "engine-1", broker, NullLogger.Instance, TimeProvider.System, metrics);

    /// <summary>Runs until everything queued is sent.</summary>
    private static async Task DrainAsync(PresencePublisher p)
    {
        p.Complete();
        await p.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WhileDisconnected_OnlyTheLatestFiringStateIsSent_BeforeTheEvents()
    {
        var broker = new Recording();
        var p = Publisher(broker);
        p.FiringChanged("hot", true);
        p.Publish(new EngineEvent("hot", "fire", "a", T));
        p.FiringChanged("hot", false);
        p.Publish(new EngineEvent("hot", "resolve", "a", T));

        broker.Connect();
        await DrainAsync(p);

        var sent = broker.Snapshot();
        Assert.Equal(3, sent.Length);
        Assert.Equal("R p/rules/hot/firing OFF q1", sent[0]);
        Assert.StartsWith("p/events/hot {\"rule\":\"hot\",\"event\":\"fire\"", sent[1], StringComparison.Ordinal);
        Assert.StartsWith("p/events/hot {\"rule\":\"hot\",\"event\":\"resolve\"", sent[2], StringComparison.Ordinal);
        Assert.EndsWith(" q1", sent[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsOff_FiringStatesStillSentForDiscovery_NoEvents()
    {
        var broker = new Recording();
        broker.Connect();
        var p = Publisher(broker, events: false, discovery: true);
        p.FiringChanged("hot", true);
        p.Publish(new EngineEvent("hot", "fire", "a", T));

        await DrainAsync(p);

        Assert.Equal(["R p/rules/hot/firing ON q1"], broker.Snapshot());
    }

    [Fact]
    public async Task Rules_AnnouncesNew_RemovesGone()
    {
        var broker = new Recording();
        broker.Connect();
        var p = Publisher(broker, discovery: true);
        p.Rules(["a", "b"]);
        p.FiringChanged("b", true);
        p.Rules(["a", "c"]);

        await DrainAsync(p);

        var sent = broker.Snapshot();
        Assert.Contains(sent, s => s.StartsWith("R ha/binary_sensor/engine-1/c/config {", StringComparison.Ordinal));
        Assert.Contains(sent, s => s.StartsWith("R ha/switch/engine-1/a/config {", StringComparison.Ordinal));
        Assert.Contains("R ha/binary_sensor/engine-1/b/config  q1", sent);
        Assert.Contains("R ha/switch/engine-1/b/config  q1", sent);
        Assert.Contains("R p/rules/b/firing  q1", sent);
        Assert.DoesNotContain(sent, s => s.StartsWith("R ha/binary_sensor/engine-1/b/config {", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconnect_SendsEveryRetainedValueAgain_ButNotRemovedOnes()
    {
        var broker = new Recording();
        broker.Connect();
        var p = Publisher(broker, discovery: true);
        using var stop = new CancellationTokenSource();
        var running = p.RunAsync(stop.Token);
        p.Reconnected(); // the first connect: what is pending goes out once
        p.Rules(["a", "b"]);
        p.FiringChanged("a", true);
        p.Rules(["a"]);
        await Poll.UntilAsync(() => p.Backlog == 0 && broker.Snapshot().Contains("R p/rules/b/firing  q1"), "the first round");
        var first = broker.Snapshot();

        p.Reconnected();
        p.Complete();
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        var again = broker.Snapshot()[first.Length..];
        Assert.Equal(3, again.Length);
        Assert.Contains("R p/rules/a/firing ON q1", again);
        Assert.Contains(again, s => s.StartsWith("R ha/binary_sensor/engine-1/a/config {", StringComparison.Ordinal));
        Assert.DoesNotContain(again, s => s.Contains("/b/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_CountEventsSent_NotRetainedStates()
    {
        var broker = new Recording();
        broker.Connect();
        var metrics = new MqttRules.Diagnostics.EngineMetrics();
        var p = Publisher(broker, metrics: metrics);
        p.FiringChanged("hot", true);
        p.Publish(new EngineEvent("hot", "fire", "a", T));

        await DrainAsync(p);

        var text = metrics.ToPrometheusText();
        Assert.Contains("\nmqttrules_engine_events_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nmqttrules_engine_events_dropped_total 0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void FullQueue_DropsEvents_NeverBlocks()
    {
        var metrics = new MqttRules.Diagnostics.EngineMetrics();
        var p = Publisher(new Recording(), metrics: metrics);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < PresencePublisher.EventCapacity + 5; i++)
        {
            p.Publish(new EngineEvent("hot", "fire", "a", T));
        }

        Assert.Equal(5, p.Dropped);
        Assert.Contains("\nmqttrules_engine_events_dropped_total 5\n", metrics.ToPrometheusText(), StringComparison.Ordinal);
        Assert.Equal(PresencePublisher.EventCapacity, p.Backlog);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
    }
}
