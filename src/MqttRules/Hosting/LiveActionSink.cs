using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MqttRules.Actions;
using MqttRules.Diagnostics;
using MqttRules.Mqtt;
using MqttRules.Rules;

namespace MqttRules.Hosting;

/// <summary>
/// Executes actions in <c>run</c>: <c>publish</c> through the broker connection (in order, on
/// its own task, waiting out disconnections), <c>log</c> at its level. External actions (tweet,
/// webhook, e-mail) go to <see cref="External"/> when set (the durable outbox); until then they
/// are only logged. <see cref="Submit"/> never blocks the engine.
/// </summary>
public sealed class LiveActionSink(IMqttPublisher publisher, ILogger logger, EngineMetrics metrics) : IActionSink
{
    private readonly Channel<RenderedAction> publishes = Channel.CreateUnbounded<RenderedAction>();

    /// <summary>Where tweet/webhook/e-mail go (the outbox); null: logged as not sent.</summary>
    public IActionSink? External { get; init; }

    public int PendingPublishes => publishes.Reader.Count;

    public void Submit(RenderedAction action)
    {
        switch (action.Kind)
        {
            case ActionKind.Publish:
                logger.LogInformation("{Event} → {Action}", ActionText.Event(action), ActionText.Describe(action));
                publishes.Writer.TryWrite(action);
                break;
            case ActionKind.Log:
                logger.Log(Level(action.Level), "{Event} → {Message}", ActionText.Event(action), action.Message);
                metrics.Action("log", "ok");
                break;
            default:
                if (External is { } outbox)
                {
                    logger.LogInformation("{Event} → {Action}", ActionText.Event(action), ActionText.Describe(action));
                    outbox.Submit(action);
                }
                else
                {
                    logger.LogWarning("{Event} → would send {Action} (no outbox configured)", ActionText.Event(action), ActionText.Describe(action));
                    metrics.Action(RenderedAction.KindName(action.Kind), "not_sent");
                }

                break;
        }
    }

    /// <summary>
    /// Sends queued publishes until <see cref="Complete"/> has been called and all are sent, or
    /// <paramref name="ct"/> is cancelled. Up to <see cref="Window"/> publishes are in flight at once
    /// (QoS 1/2 would otherwise cost a round trip each); they leave in submission order.
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var inflight = new Queue<(RenderedAction Action, Task Sent)>();
        var reader = publishes.Reader;
        try
        {
            while (inflight.Count > 0 || await reader.WaitToReadAsync(ct))
            {
                while (inflight.Count < Window && reader.TryRead(out var action))
                {
                    inflight.Enqueue((action, SendAsync(action, ct)));
                }

                // Keep sending while acknowledgements are outstanding: waiting for all of them
                // before sending more stalls on brokers that batch small writes (Nagle).
                if (inflight.Count < Window && !inflight.Peek().Sent.IsCompleted && !reader.Completion.IsCompleted)
                {
                    await Task.WhenAny(inflight.Peek().Sent, reader.WaitToReadAsync(ct).AsTask());
                }
                else if (reader.Completion.IsCompleted)
                {
                    await FinishAsync(inflight.Dequeue(), ct);
                }

                while (inflight.Count > 0 && (inflight.Count >= Window || inflight.Peek().Sent.IsCompleted))
                {
                    await FinishAsync(inflight.Dequeue(), ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            var lost = publishes.Reader.Count + inflight.Count(i => !i.Sent.IsCompletedSuccessfully);
            if (lost > 0)
            {
                logger.LogWarning("{Count} publish actions were not sent before shutdown", lost);
            }
        }
    }

    /// <summary>Publishes in flight at once.</summary>
    public int Window { get; init; } = 64;

    /// <summary>No more actions: <see cref="RunAsync"/> ends once the queue is empty.</summary>
    public void Complete() => publishes.Writer.TryComplete();

    private Task SendAsync(RenderedAction action, CancellationToken ct) =>
        publisher.PublishAsync(action.Topic!, Encoding.UTF8.GetBytes(action.Payload ?? ""), action.Qos, action.Retain, ct);

    /// <summary>Counts a finished publish; one that met a dropped connection is sent again once the broker is back.</summary>
    private async Task FinishAsync((RenderedAction Action, Task Sent) item, CancellationToken ct)
    {
        var (action, sent) = item;
        while (true)
        {
            try
            {
                await sent;
                metrics.Action("publish", "ok");
                return;
            }
            catch (MqttNotConnectedException)
            {
                logger.LogInformation("Broker away: publish to {Topic} waits for the connection", action.Topic);
                await publisher.WaitConnectedAsync(ct);
                sent = SendAsync(action, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                metrics.Action("publish", "error");
                logger.LogError("Rule {RuleId}: publish to {Topic} failed: {Error}", action.RuleId, action.Topic, ex.Message);
                return;
            }
        }
    }

    private static LogLevel Level(string? level) => level?.ToLowerInvariant() switch
    {
        "debug" => LogLevel.Debug,
        "warning" or "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => LogLevel.Information,
    };
}

/// <summary><c>--dry-run</c>: every action is logged as its replay JSON line, none is executed.</summary>
public sealed class DryRunActionSink(ILogger logger, EngineMetrics metrics) : IActionSink
{
    public void Submit(RenderedAction action)
    {
        logger.LogInformation("{Event} → [dry-run] {Json}", ActionText.Event(action), Replay.ActionJson.ToJson(action));
        metrics.Action(RenderedAction.KindName(action.Kind), "dry_run");
    }
}
