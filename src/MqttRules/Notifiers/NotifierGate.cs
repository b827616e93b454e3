using Microsoft.Extensions.Logging;
using MqttRules.Actions;
using MqttRules.Diagnostics;
using MqttRules.Expressions;
using MqttRules.Outbox;
using MqttRules.Rules;

namespace MqttRules.Notifiers;

/// <summary>
/// Sits between the engine and its sink and holds back the alerts of notifiers with <c>group:</c> or
/// <c>quiet_hours:</c>; every other action passes straight on. A grouped notifier's alerts go out as
/// one digest (<see cref="RuleEvent.Digest"/>, its channels rendered with <c>message</c> = the digest
/// text) <c>wait</c> after the first, and no sooner than <c>interval</c> after the previous digest;
/// nothing goes out inside quiet hours. The engine thread calls <see cref="AdvanceTo"/> with the time,
/// so live and replay hold alike. Held alerts are written to the <see cref="IHeldAlerts"/> when they
/// arrive and removed after what they became was handed on under a key that is the same every time,
/// so a restart loses none and the outbox sends none twice.
/// </summary>
internal sealed class NotifierGate : IActionSink
{
    private readonly IActionSink inner;
    private readonly IHeldAlerts store;
    private readonly TimeZoneInfo zone;
    private readonly EngineMetrics metrics;
    private readonly ILogger logger;
    private readonly List<HeldAlert> held;
    private readonly Dictionary<string, DateTimeOffset> lastDigest;
    private readonly EvalContext ctx = new();
    private Dictionary<string, NotifySpec> policies = new(StringComparer.Ordinal);
    private long nextSeq;
    private DateTimeOffset? due;   // the next due time, computed again when something changes

    public NotifierGate(IActionSink inner, IHeldAlerts store, TimeZoneInfo zone, EngineMetrics metrics, ILogger logger)
    {
        (this.inner, this.store, this.zone, this.metrics, this.logger) = (inner, store, zone, metrics, logger);
        held = [.. store.Load()];
        lastDigest = new(store.LastDigests(), StringComparer.Ordinal);
        nextSeq = held.Count == 0 ? 1 : held[^1].Seq + 1;
        if (held.Count > 0)
        {
            NotifierLog.Resuming(logger, held.Count);
        }
    }

    /// <summary>Learns the notifiers that hold alerts back from the rules that use them (at start and on each reload).</summary>
    public void Use(RuleSet rules)
    {
        policies = rules.Rules.SelectMany(r => r.Actions.Concat(r.OnResolve)).OfType<NotifySpec>()
            .Where(n => n.Policy is not null).DistinctBy(n => n.Notifier).ToDictionary(n => n.Notifier, StringComparer.Ordinal);
        due = Next()?.Due;
    }

    public void Submit(RenderedAction action)
    {
        if (action.Notifier is not { } name || !policies.TryGetValue(name, out var spec))
        {
            inner.Submit(action);
            return;
        }

        var (group, quiet) = (spec.Policy!.Group, spec.Policy.Quiet);
        var quietEnd = quiet?.EndOf(action.Time, zone);
        if (quietEnd is not null && quiet!.Drop)
        {
            metrics.Action(action.KindText, "quiet_dropped");
            NotifierLog.QuietDropped(logger, action.RuleId, action.Series, name);
            return;
        }

        if (group is null && quietEnd is null)
        {
            inner.Submit(action);
            return;
        }

        var alert = new HeldAlert(nextSeq++, name, action.Time, group is null ? quietEnd : null, action.RuleId,
            action.NotifyMessage ?? action.Describe(), OutboxJson.Write(action));
        store.Add(alert);
        held.Add(alert);
        due = Next()?.Due;
        metrics.Action(action.KindText, group is null ? "quiet_held" : "grouped");
        if (group is null)
        {
            NotifierLog.QuietHeld(logger, action.RuleId, action.Series, name, quietEnd!.Value);
        }
    }

    /// <summary>The next time something held is due, or null when nothing is held.</summary>
    public DateTimeOffset? NextDue => due;

    /// <summary>Sends everything due at or before <paramref name="now"/>, in time order, each at its own due time.</summary>
    public void AdvanceTo(DateTimeOffset now)
    {
        if (due is null || due > now)
        {
            return;
        }

        while (Next() is { } next && next.Due <= now)
        {
            if (next.Group is { } group)
            {
                SendDigest(next.Notifier, group, next.Due);
            }
            else
            {
                SendAlone(next.Alert!, next.Due);
            }
        }

        due = Next()?.Due;
    }

    private (DateTimeOffset Due, string Notifier, HeldAlert? Alert, NotifySpec? Group)? Next()
    {
        (DateTimeOffset Due, string Notifier, HeldAlert? Alert, NotifySpec? Group)? best = null;
        var groups = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in held)
        {
            if (a.ReleaseAt is null && !groups.Add(a.Notifier))
            {
                continue;   // a group's due time follows from its first alert
            }

            var candidate = Due(a);
            if (best is null || candidate.Due < best.Value.Due)
            {
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>When <paramref name="a"/> goes out: alone at its release time, or with its group's digest.</summary>
    private (DateTimeOffset Due, string Notifier, HeldAlert? Alert, NotifySpec? Group) Due(HeldAlert a)
    {
        if (a.ReleaseAt is { } release)
        {
            return (release, a.Notifier, a, null);
        }

        if (!policies.TryGetValue(a.Notifier, out var spec) || spec.Policy?.Group is not { } group)
        {
            return (a.At, a.Notifier, a, null);   // the notifier no longer groups (a reload): the alert goes out as it was
        }

        var at = a.At + group.Wait;   // a is the group's first alert (Next sees alerts in order of arrival)
        if (lastDigest.TryGetValue(a.Notifier, out var last) && last + group.Interval > at)
        {
            at = last + group.Interval;
        }

        return (spec.Policy.Quiet?.EndOf(at, zone) ?? at, a.Notifier, null, spec);
    }

    private void SendAlone(HeldAlert alert, DateTimeOffset due)
    {
        if (OutboxJson.Read(alert.ActionJson) is { } action)
        {
            inner.Submit(action with { Time = due });
        }

        store.Release([alert.Seq], alert.Notifier, null);
        held.Remove(alert);
    }

    private void SendDigest(string name, NotifySpec spec, DateTimeOffset due)
    {
        var members = held.Where(h => h.Notifier == name && h.ReleaseAt is null && h.At <= due).ToList();
        var text = Digest.Text(members, spec.Policy!.Group!.MaxLines);
        try
        {
            ctx.Reset(due, zone);
            ctx.NotifyMessage = text;
            var digest = ActionRenderer.RenderChannels(name, spec.Channels, text, ctx, Digest.Rules(members), RuleEvent.Digest, null)
                with { Id = $"digest:{name}:{members[0].At.ToUnixTimeMilliseconds()}:{members[0].Seq}" };
            inner.Submit(digest);
            metrics.Action(digest.KindText, "digest");
            NotifierLog.DigestSent(logger, name, members.Count);
        }
        catch (ActionRenderException ex)
        {
            metrics.Action(RenderedAction.KindName(spec.Target.Kind), "error");
            NotifierLog.DigestFailed(logger, name, members.Count, ex.Message);
        }

        store.Release([.. members.Select(m => m.Seq)], name, due);
        lastDigest[name] = due;
        held.RemoveAll(members.Contains);
    }
}
