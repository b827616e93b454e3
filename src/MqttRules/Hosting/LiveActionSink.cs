using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MqttRules.Actions;
using MqttRules.Actions.Publish;
using MqttRules.Diagnostics;
using MqttRules.Mqtt;
using MqttRules.Outbox;

namespace MqttRules.Hosting;

/// <summary>
/// Executes actions in <c>run</c>: an <see cref="ActionDispatcher"/> routes them, and this sends its
/// publishes through the broker connection (in order, on its own task, waiting out disconnections).
/// External actions (tweet, webhook, e-mail) go to <see cref="External"/> when set (the durable
/// outbox); until then they are only logged. <see cref="Submit"/> never blocks the engine. With a
/// <see cref="Journal"/>, <see cref="Checkpoint"/> makes every publish not yet acknowledged by the
/// broker durable, and <see cref="Resume"/> sends what an earlier run left there: a crash loses no publish.
/// </summary>
internal sealed class LiveActionSink : IActionSink
{
    // Read by RunAsync alone; a publish queued while it waits goes on right there, on the engine's
    // thread, instead of waking a thread-pool thread for it.
    private readonly Channel<Tracked> publishes = Channel.CreateUnbounded<Tracked>(new UnboundedChannelOptions { AllowSynchronousContinuations = true });
    private readonly Lock gate = new();
    private readonly IMqttPublisher publisher;
    private readonly ILogger logger;
    private readonly EngineMetrics metrics;
    private readonly ActionDispatcher dispatcher;

    // Under gate: publishes started and not finished; publishes queued and not started; whether a
    // publish met a dropped connection and not everything queued behind it has finished since;
    // publishes not finished at submission and not journaled yet; journaled ones finished since.
    private int inFlight;
    private int unsent;
    private bool stalled;
    private readonly List<Tracked> unjournaled = [];
    private readonly List<long> finishedJournaled = [];
    private long lastSeq;
    private int unfinished;

    public LiveActionSink(IMqttPublisher publisher, ILogger logger, EngineMetrics metrics)
    {
        this.publisher = publisher;
        this.logger = logger;
        this.metrics = metrics;
        dispatcher = new ActionDispatcher(SubmitPublish, logger, metrics);
    }

    /// <summary>Where tweet/webhook/e-mail go (the outbox); null: logged as not sent.</summary>
    public IActionSink? External
    {
        get => dispatcher.External;
        init => dispatcher.External = value;
    }

    /// <summary>Where publishes not yet acknowledged by the broker are kept; null: in memory only.</summary>
    public PublishJournal? Journal { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>A publish sent this many times, each time losing the connection, is dead-lettered.</summary>
    public int MaxConnectionLosses { get; init; } = 5;

    public int PendingPublishes => publishes.Reader.Count;

    /// <summary>Every publish has finished and <see cref="Checkpoint"/> has nothing left to write or remove.</summary>
    public bool Settled
    {
        get
        {
            lock (gate)
            {
                return unfinished == 0 && unjournaled.Count == 0 && finishedJournaled.Count == 0;
            }
        }
    }

    public void Submit(RenderedAction action) => dispatcher.Submit(action);

    /// <summary>
    /// Queues what the journal holds from an earlier run ahead of everything new; call once, before
    /// the first <see cref="Submit"/>. Returns how many publishes are sent again.
    /// </summary>
    public int Resume()
    {
        if (Journal is null)
        {
            return 0;
        }

        var rows = Journal.Load();
        lock (gate)
        {
            lastSeq = Math.Max(lastSeq, Journal.NextSeq() - 1);
            foreach (var row in rows)
            {
                unsent++;
                unfinished++;
                publishes.Writer.TryWrite(new Tracked(row.Action, row.Seq) { Journaled = true });
            }
        }

        if (rows.Count > 0)
        {
            HostingLog.Resuming(logger, rows.Count);
        }

        return rows.Count;
    }

    /// <summary>
    /// Writes every publish submitted so far and not yet acknowledged by the broker to the journal,
    /// and removes the journaled ones acknowledged since, in one transaction. The engine loop calls
    /// it before acknowledging a batch's input, the state store before saving rule state.
    /// </summary>
    public void Checkpoint()
    {
        if (Journal is null)
        {
            return;
        }

        var add = new List<JournaledPublish>();
        long[] remove;
        lock (gate)
        {
            foreach (var item in unjournaled)
            {
                if (!item.Finished && item.Sent is not { IsCompletedSuccessfully: true })
                {
                    item.Journaled = true;
                    add.Add(new JournaledPublish(item.Seq, item.Action));
                }
            }

            unjournaled.Clear();
            remove = [.. finishedJournaled];
            finishedJournaled.Clear();
        }

        Journal.Save(add, remove);
    }

    /// <summary>
    /// Hands the publish to the connection right here (no thread hop) when nothing is queued ahead
    /// of it and the window has room, so publishes leave in submission order; one that finished at
    /// once is counted here, the others go to <see cref="RunAsync"/> (QoS 0 ones too: they finish
    /// when the broker has provably read them, a round trip later).
    /// </summary>
    private void SubmitPublish(PublishAction action)
    {
        Tracked item;
        lock (gate)
        {
            item = new Tracked(action, Journal is null ? 0 : ++lastSeq);
            if (unsent == 0 && !stalled && inFlight < Limit(action))
            {
                inFlight++;
                item.Sent = SendAsync(action, CancellationToken.None);
                if (item.Sent.IsCompletedSuccessfully)
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

            unfinished++;
            if (Journal is not null)
            {
                unjournaled.Add(item);
            }
        }

        publishes.Writer.TryWrite(item);
    }

    /// <summary>
    /// Sends queued publishes and waits for the ones in flight until <see cref="Complete"/> has been
    /// called and all are done, or <paramref name="ct"/> is cancelled. Up to <see cref="Window"/>
    /// publishes are in flight at once (QoS 1/2 would otherwise cost a round trip each); they leave
    /// in submission order.
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var pending = new Queue<Tracked>();
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
                        while (pending.Count > 0 && InFlight >= Limit(item.Action))
                        {
                            await FinishAsync(pending.Dequeue(), ct);
                        }

                        StartQueued(item, ct);
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
                    publisher.Hurry(); // the last ones: no later publish will come
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
            int lost;
            lock (gate)
            {
                lost = unfinished;
            }

            if (lost > 0 && Journal is not null)
            {
                HostingLog.KeptForNextStart(logger, lost);
            }
            else if (lost > 0)
            {
                HostingLog.NotSent(logger, lost);
            }
        }
    }

    /// <summary>Publishes in flight at once, at most; never more than the broker's Receive Maximum.</summary>
    public int Window { get; init; } = 1024;

    /// <summary>
    /// How many may be in flight when this one starts: the broker's Receive Maximum counts only
    /// QoS 1/2 publishes, a QoS 0 one (waiting for its ping) only counts against <see cref="Window"/>.
    /// </summary>
    private int Limit(PublishAction action) => action.Qos == 0 ? Window : Math.Min(Window, publisher.ReceiveMaximum);

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

    private void StartQueued(Tracked item, CancellationToken ct)
    {
        lock (gate)
        {
            unsent--;
            inFlight++;
            item.Sent = SendAsync(item.Action, ct);
        }
    }

    private Task SendAsync(PublishAction action, CancellationToken ct)
    {
        try
        {
            return publisher.PublishAsync(action.Topic, action.Payload, action.Qos, action.Retain, ct);
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    /// <summary>
    /// Counts a finished publish; one that met a dropped connection is sent again once the broker is
    /// back (alone, so a publish that makes the broker drop the connection is found and, after
    /// <see cref="MaxConnectionLosses"/>, dead-lettered); one the broker refused is dead-lettered.
    /// </summary>
    private async Task FinishAsync(Tracked item, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                try
                {
                    // Publishes handed over in Submit carry no token: stop waiting for them on cancellation.
                    await item.Sent!.WaitAsync(ct);
                    metrics.Action("publish", "ok");
                    Finished(item);
                    return;
                }
                catch (MqttNotConnectedException ex)
                {
                    if (ex.AfterSending && ++item.ConnectionLosses >= MaxConnectionLosses)
                    {
                        DeadLetter(item, $"the connection to the broker was lost each of the {item.ConnectionLosses} times this publish was sent ({ex.Message})");
                        return;
                    }

                    // Later publishes queue behind this one until it (and all before them) are done.
                    lock (gate)
                    {
                        stalled = true;
                    }

                    LiveLog.BrokerAway(logger, item.Action.Topic, ex.Message);
                    await publisher.WaitConnectedAsync(ct);
                    item.Sent = SendAsync(item.Action, ct);
                    publisher.Hurry(); // sent alone: no later publish takes its proof along
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    DeadLetter(item, ex.Message);
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

    private void DeadLetter(Tracked item, string reason)
    {
        var action = item.Action;
        metrics.Action("publish", "dead_letter");
        HostingLog.PublishDeadLettered(logger, action.RuleId, action.Series, action.Topic, reason);
        try
        {
            Journal?.DeadLetter(action, item.ConnectionLosses + 1, reason, Clock.GetUtcNow());
        }
        finally
        {
            Finished(item);
        }
    }

    /// <summary>Delivered or dead-lettered: never sent again, its journal row goes at the next checkpoint.</summary>
    private void Finished(Tracked item)
    {
        lock (gate)
        {
            unfinished--;
            item.Finished = true;
            if (item.Journaled)
            {
                finishedJournaled.Add(item.Seq);
            }
        }
    }

    /// <summary>A publish on its way: <see cref="Sent"/> is null until it was handed to the connection.</summary>
    private sealed class Tracked(PublishAction action, long seq)
    {
        public PublishAction Action => action;
        public long Seq => seq;

        /// <summary>Set under the gate when handed to the connection, and again on each resend.</summary>
        public Task? Sent { get; set; }

        public bool Journaled { get; set; }
        public bool Finished { get; set; }
        public int ConnectionLosses { get; set; }
    }
}

/// <summary><c>--dry-run</c>: every action is logged as its replay JSON line, none is executed.</summary>
internal sealed class DryRunActionSink(ILogger logger, EngineMetrics metrics) : IActionSink
{
    public void Submit(RenderedAction action)
    {
        LiveLog.DryRun(logger, ActionText.Event(action), Replay.ActionJson.ToJson(action));
        metrics.Action(action.KindText, "dry_run");
    }
}
