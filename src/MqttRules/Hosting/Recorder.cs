using Microsoft.Extensions.Logging;
using MqttRules.Mqtt;
using MqttRules.Replay;

namespace MqttRules.Hosting;

/// <summary><c>mqttrules record</c>: writes live traffic in the replay format until cancelled.</summary>
public sealed class Recorder
{
    public required MqttSettings Settings { get; init; }
    public required IReadOnlyList<string> Filters { get; init; }
    public required string OutputPath { get; init; }
    public required ILogger Logger { get; init; }
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public async Task RunAsync(CancellationToken ct)
    {
        EmbeddedBroker? embedded = null;
        if (Settings.Broker.IsEmbedded)
        {
            embedded = new EmbeddedBroker(Settings, Logger, Clock);
            await embedded.StartAsync();
        }

        try
        {
            await RecordAsync(ct);
        }
        finally
        {
            if (embedded is not null)
            {
                await embedded.DisposeAsync();
            }
        }
    }

    private async Task RecordAsync(CancellationToken ct)
    {
        var gate = new object();

        // The connection subscribes a covering set of the filters (one copy of each message, however
        // they overlap); a wider filter it had to use brings topics that were not asked for.
        var wanted = new Topics.TopicIndex<bool>();
        foreach (var filter in Filters)
        {
            wanted.Add(SubscriptionPlan.MatchPart(filter), true);
        }

        var found = new List<bool>();
        using var writer = new RecordWriter(new FileStream(OutputPath, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024));
        async ValueTask OnMessage(IncomingMessage m)
        {
            lock (gate)
            {
                found.Clear();
                wanted.Match(m.Topic, found);
                if (found.Count > 0)
                {
                    writer.Write(Clock.GetUtcNow(), m.Topic, m.Payload.Span);
                }
            }

            await m.AcknowledgeAsync(CancellationToken.None);
        }

        using var stop = new CancellationTokenSource();
        await using var connection = new MqttConnection(Settings, OnMessage, Logger, Clock) { Filters = Filters, UseSubscriptionIdentifiers = false };
        var connTask = connection.RunAsync(stop.Token);
        LiveLog.Recording(Logger, string.Join(", ", Filters), OutputPath);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), Clock);
        try
        {
            while (!connTask.IsCompleted && await timer.WaitForNextTickAsync(ct))
            {
                lock (gate)
                {
                    writer.Flush();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        await stop.CancelAsync();
        await connTask;
        await connection.SafeDisconnectAsync();
        lock (gate)
        {
            writer.Flush();
            LiveLog.Recorded(Logger, writer.Count, OutputPath);
        }
    }
}
