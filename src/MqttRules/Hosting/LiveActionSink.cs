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
    private readonly Channel<Pending> publishes = Channel.CreateUnbounded<Pending>();
    private readonly Lock gate = new();

    // Under gate: publishes started and not finished; publishes queued and not started; whether a
    // publish met a dropped connection and not everything queued behind it has finished since.
    private int inFlight;
    private int unsent;
    private bool stalled;

    /// <summary>Where tweet/webhook/e-mail go (the outbox); null: logged as not sent.</summary>
    public IActionSink? External { get; init; }

    public int PendingPublishes => publishes.Reader.Count;

    public void Submit(RenderedAction action)
    {
        switch (action.Kind)
        {
            case ActionKind.Publish:
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation("{Event} → {Action}", ActionText.Event(action), ActionText.Describe(action));
                }

                SubmitPublish(action);
                break;
            case ActionKind.Log:
                var level = Level(action.Level);
                if (logger.IsEnabled(level))
                {
                    logger.Log(level, "{Event} → {Message}", ActionText.Event(action), action.Message);
                }

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
    /// Hands the publish to the connection right here (no thread hop) when nothing is queued ahead
    /// of it and the window has room, so publishes leave in submission order; one that finished at
    /// once (QoS 0 on a writable socket) is counted here, the others go to <see cref="RunAsync"/>.
    /// </summary>
    private void SubmitPublish(RenderedAction action)
    {
        Task? sent = null;
        lock (gate)
        {
            if (unsent == 0 && !stalled && inFlight < EffectiveWindow)
            {
                inFlight++;
                sent = SendAsync(action, CancellationToken.None);
                if (sent.IsCompletedSuccessfully)
                {
                    inFlight--;
                    metrics.Action("publish", "ok");
                    return;
                }
            }
            else
            {
                unsent++;
            }
        }

        publishes.Writer.TryWrite(new Pending(action, sent));
    }

    /// <summary>
    /// Sends queued publishes and waits for the ones in flight until <see cref="Complete"/> has been
    /// called and all are done, or <paramref name="ct"/> is cancelled. Up to <see cref="Window"/>
    /// publishes are in flight at once (QoS 1/2 would otherwise cost a round trip each); they leave
    /// in submission order.
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var pending = new Queue<Pending>();
        var reader = publishes.Reader;
        try
        {
            while (pending.Count > 0 || await reader.WaitToReadAsync(ct))
            {
                while (reader.TryRead(out var item))
                {
                    if (item.Sent is null)
                    {
                        // Everything started before it was read already, so the oldest is in pending.
                        while (pending.Count > 0 && InFlight >= EffectiveWindow)
                        {
                            await FinishAsync(pending.Dequeue(), ct);
                        }

                        item = item with { Sent = StartQueued(item.Action, ct) };
                    }

                    pending.Enqueue(item);
                }

                while (pending.Count > 0 && pending.Peek().Sent!.IsCompleted)
                {
                    await FinishAsync(pending.Dequeue(), ct);
                }

                if (pending.Count == 0)
                {
                    lock (gate)
                    {
                        stalled &= unsent > 0;
                    }
                }
                else if (reader.Completion.IsCompleted)
                {
                    await FinishAsync(pending.Dequeue(), ct);
                }
                else
                {
                    await Task.WhenAny(pending.Peek().Sent!, reader.WaitToReadAsync(ct).AsTask());
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            var lost = publishes.Reader.Count + pending.Count(i => i.Sent is not { IsCompletedSuccessfully: true });
            if (lost > 0)
            {
                logger.LogWarning("{Count} publish actions were not sent before shutdown", lost);
            }
        }
    }

    /// <summary>Publishes in flight at once, at most; never more than the broker's Receive Maximum.</summary>
    public int Window { get; init; } = 1024;

    private int EffectiveWindow => Math.Min(Window, publisher.ReceiveMaximum);

    /// <summary>No more actions: <see cref="RunAsync"/> ends once the queue is empty.</summary>
    public void Complete() => publishes.Writer.TryComplete();

    private int InFlight
    {
        get
        {
            lock (gate)
            {
                return inFlight;
            }
        }
    }

    private Task StartQueued(RenderedAction action, CancellationToken ct)
    {
        lock (gate)
        {
            unsent--;
            inFlight++;
            return SendAsync(action, ct);
        }
    }

    private Task SendAsync(RenderedAction action, CancellationToken ct)
    {
        try
        {
            return publisher.PublishAsync(action.Topic!, Encoding.UTF8.GetBytes(action.Payload ?? ""), action.Qos, action.Retain, ct);
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    /// <summary>Counts a finished publish; one that met a dropped connection is sent again once the broker is back.</summary>
    private async Task FinishAsync(Pending item, CancellationToken ct)
    {
        var (action, sent) = item;
        try
        {
            while (true)
            {
                try
                {
                    // Publishes handed over in Submit carry no token: stop waiting for them on cancellation.
                    await sent!.WaitAsync(ct);
                    metrics.Action("publish", "ok");
                    return;
                }
                catch (MqttNotConnectedException)
                {
                    // Later publishes queue behind this one until it (and all before them) are done.
                    lock (gate)
                    {
                        stalled = true;
                    }

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
        finally
        {
            lock (gate)
            {
                inFlight--;
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

    /// <summary>A publish on its way: <see cref="Sent"/> is null until it was handed to the connection.</summary>
    private readonly record struct Pending(RenderedAction Action, Task? Sent);
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
