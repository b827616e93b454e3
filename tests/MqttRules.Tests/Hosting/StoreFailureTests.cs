#pragma warning disable CA1707
using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Engine;
using MqttRules.Hosting;
using MqttRules.Loading;
using MqttRules.Mqtt;

namespace MqttRules.Tests.Hosting;

/// <summary>Issue 10.2: while the store cannot take writes the engine loop acknowledges nothing, pauses intake, says so once and recovers by itself.</summary>
public sealed class StoreFailureTests
{
    private const string Rules = """
        rules:
          - id: hot
            topic: room/{room}/temp
            when: value > 30
            actions: [ { log: "{{room}} hot" } ]
        """;

    [Fact]
    public async Task RunAsync_StoreFull_PausesIntakeWarnsOnce_ThenRecoversWhenItCanWriteAgain()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var engine = new RuleEngine(RuleLoader.LoadText(Rules).Rules, new ListActionSink(), new EngineOptions { Clock = time });
        var store = new FailingStore { Full = true };
        var log = new LinesLogger();
        var loop = new EngineLoop(time, log) { Durability = store };
        using var cts = new CancellationTokenSource();
        await loop.EnqueueAsync(EngineLoopTests.Qos1("room/a/temp", "35"));
        var run = loop.RunAsync(engine, cts.Token);

        await Wait.UntilAsync(() => store.Attempts >= 1 && engine.Metrics.Messages == 1);
        await loop.EnqueueAsync(EngineLoopTests.Qos1("room/b/temp", "36"));
        for (var i = 0; i < 6; i++)
        {
            // The retry's timer is set just after the failed attempt is counted: advance until it has run again.
            var before = store.Attempts;
            await time.AdvanceUntilAsync(() => store.Attempts > before, TimeSpan.FromSeconds(30), "another write attempt");
        }

        Assert.Equal(1, engine.Metrics.Messages);   // intake paused: the next message waits
        Assert.Equal(1, loop.Depth);

        store.Full = false;
        await time.AdvanceUntilAsync(() => engine.Metrics.Messages == 2, TimeSpan.FromSeconds(30), "the paused message");

        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(log.Lines, l => l.StartsWith("Warning: The state file cannot take writes (database or disk is full)", StringComparison.Ordinal));
        Assert.Single(log.Lines, l => l.Contains("takes writes again", StringComparison.Ordinal));
    }

    private sealed class FailingStore : IDurability
    {
        private int attempts;
        public volatile bool Full;

        public int Attempts => Volatile.Read(ref attempts);

        public bool Commit()
        {
            Interlocked.Increment(ref attempts);
            return !Full;
        }

        public string? Problem => Full ? "database or disk is full" : null;
    }

    private sealed class LinesLogger : ILogger
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
