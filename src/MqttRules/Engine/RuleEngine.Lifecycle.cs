using MqttRules.Actions;
using MqttRules.Lifecycle;
using MqttRules.State;
using MqttRules.Values;

namespace MqttRules.Engine;

/// <summary>
/// The alert lifecycle: rules switched on and off, mutes and acknowledgements (run-time commands,
/// durable), and flap detection. A held notification is counted and logged, never sent later;
/// <c>publish</c> and <c>log</c> always run.
/// </summary>
internal sealed partial class RuleEngine
{
    private readonly LifecycleState lifecycle;
    private readonly PriorityQueue<(RuleRuntime Rule, SeriesState Series), DateTimeOffset> flapTimers = new();

    /// <summary>Runs a lifecycle command (MQTT or HTTP); on the evaluation thread only.</summary>
    public CommandResult Execute(LifecycleCommand command)
    {
        var result = command.Kind switch
        {
            CommandKind.Enable => Enable(command),
            CommandKind.Ack => Acknowledge(command),
            _ => Mute(command),
        };
        if (result.Ok)
        {
            LifecycleLog.Command(logger, $"{command}: {result.Message}");
        }
        else
        {
            LifecycleLog.CommandRefused(logger, $"{command}: {result.Message}");
        }

        return result;
    }

    /// <summary>Whether each rule is in force, in file order (published as <c>P/rules/&lt;rule&gt;/enabled</c>).</summary>
    public IReadOnlyList<(string RuleId, bool Enabled)> EnabledStates => runtimes.Select(r => (r.Rule.Id, r.Enabled)).ToArray();

    private RuleRuntime? Find(string ruleId) => Array.Find(runtimes, r => r.Rule.Id == ruleId);

    private CommandResult Enable(LifecycleCommand command)
    {
        if (Find(command.Name) is not { } rt)
        {
            return CommandResult.NotFound($"no rule '{command.Name}'");
        }

        if (!LifecycleCommand.TryOnOff(command.Payload, out var on))
        {
            return CommandResult.BadRequest($"send ON or OFF, not '{command.Payload}'");
        }

        lifecycle.SetEnabled(rt.Rule, on);
        if (rt.Enabled != on)
        {
            rt.Enabled = on;
            Index();
            if (on)
            {
                ArmAfterEnable(rt, options.Clock.GetUtcNow());
            }

            options.SubscriptionsChanged?.Invoke();
        }

        options.EnabledChanged?.Invoke(rt.Rule.Id, on);
        return CommandResult.Done(on ? "enabled" : "disabled");
    }

    private CommandResult Mute(LifecycleCommand command)
    {
        var kind = command.Kind == CommandKind.MuteNotifier ? LifecycleKind.MuteNotifier : LifecycleKind.MuteRule;
        var known = kind == LifecycleKind.MuteRule ? Find(command.Name) is not null : Notifiers().Contains(command.Name);
        if (!known)
        {
            return CommandResult.NotFound(kind == LifecycleKind.MuteRule ? $"no rule '{command.Name}'" : $"no notifier '{command.Name}' used by a rule");
        }

        if (!LifecycleCommand.TryMuteDuration(command.Payload, out var duration))
        {
            return CommandResult.BadRequest($"send a duration such as 30m or 2h, or off, not '{command.Payload}'");
        }

        var until = duration is { } d ? options.Clock.GetUtcNow() + d : (DateTimeOffset?)null;
        lifecycle.Mute(kind, command.Name, until);
        return CommandResult.Done(until is { } u ? $"muted until {StepReasonText.At(u)}" : "unmuted");
    }

    private HashSet<string> Notifiers() => runtimes
        .SelectMany(r => r.Rule.Actions.Concat(r.Rule.OnResolve))
        .OfType<Rules.NotifySpec>().Select(n => n.Notifier).ToHashSet(StringComparer.Ordinal);

    private CommandResult Acknowledge(LifecycleCommand command)
    {
        if (Find(command.Name) is not { } rt)
        {
            return CommandResult.NotFound($"no rule '{command.Name}'");
        }

        var series = command.Payload.Trim();
        var firing = rt.Series.Values.Where(s => s.Phase == Phase.Firing && (series.Length == 0 || s.Series == series)).ToArray();
        if (firing.Length == 0)
        {
            return CommandResult.Conflict(series.Length == 0 ? $"rule '{rt.Rule.Id}' has no firing series" : $"series '{series}' of rule '{rt.Rule.Id}' is not firing");
        }

        foreach (var st in firing)
        {
            lifecycle.Acknowledge(rt.Rule.Id, st.Series);
        }

        return CommandResult.Done($"acknowledged {firing.Length} firing series: repeats stop until each resolves");
    }

    /// <summary>
    /// A rule switched on again: its series' timers run from now (a repeat or a <c>for:</c> that came
    /// due while it was off runs once, now; an absence watch starts again), its schedule is armed.
    /// </summary>
    private void ArmAfterEnable(RuleRuntime rt, DateTimeOffset now)
    {
        if (schedules[rt.Index] is { } cron)
        {
            var st = rt.GetSeries("")!;
            if (cron.NextAfter(now) is { } next)
            {
                st.Due = next;
                timers.Schedule(rt, st, next);
            }

            return;
        }

        foreach (var st in rt.Series.Values)
        {
            if (rt.Rule.Absent > TimeSpan.Zero && st.Phase != Phase.Firing && st.LastSeen is not null)
            {
                st.Due = now + rt.Rule.Absent;
            }
            else if (st.Due is { } due && due < now)
            {
                st.Due = now;
            }

            if (st.Due is { } at)
            {
                timers.Schedule(rt, st, at);
            }
        }
    }

    /// <summary>Why the notifications of an event of <paramref name="st"/> are held, or null.</summary>
    private HoldReason? HoldFor(RuleRuntime rt, SeriesState? st, RuleEvent ev)
    {
        if (lifecycle.MutedUntil(LifecycleKind.MuteRule, rt.Rule.Id, ctx.Now) is not null)
        {
            return HoldReason.Muted;
        }

        if (st?.Flap is { Flapping: true })
        {
            return HoldReason.Flapping;
        }

        return ev == RuleEvent.Repeat && st is not null && lifecycle.Acknowledged(rt.Rule.Id, st.Series) ? HoldReason.Acknowledged : null;
    }

    /// <summary>
    /// Before the actions of a fire, repeat or resolve: a resolve ends an acknowledgement; a fire or
    /// resolve counts towards flapping. Returns why the event's notifications are held, or null.
    /// </summary>
    private HoldReason? BeforeEmit(RuleRuntime rt, SeriesState st, RuleEvent ev)
    {
        if (ev == RuleEvent.Resolve)
        {
            lifecycle.Unacknowledge(rt.Rule.Id, st.Series);
        }

        var change = ev is RuleEvent.Fire or RuleEvent.Resolve;
        if (change && rt.Rule.Flap is { } flap)
        {
            var watch = st.Flap ??= new FlapWatch();
            if (watch.Record(ctx.Now, flap))
            {
                FlapStarted(rt, st, flap);
            }

            if (watch.Flapping)
            {
                flapTimers.Enqueue((rt, st), watch.SettlesAt(flap));
            }
        }

        var hold = HoldFor(rt, st, ev);
        if (change && hold is null && st.Flap is { } w)
        {
            w.Announced = ev == RuleEvent.Fire;
        }

        return hold;
    }

    private void FlapStarted(RuleRuntime rt, SeriesState st, Rules.FlapSpec flap)
    {
        var within = Durations.Format(flap.Within);
        LifecycleLog.FlapStarted(logger, rt.Rule.Id, st.Series, flap.Changes, within);
        if (rt.Observed)
        {
            decisions!.Flap(rt, st, ctx.Now, "flapping", $"the series fired and resolved {flap.Changes} times within {within}: it is flapping, and its notifications are held until it has been stable for {within}", st.Flap!.SettlesAt(flap));
        }

        options.FlapChanged?.Invoke(new FlapChange(rt.Rule.Id, st.Series, true, ctx.Now));
        ReportFlap(rt, st.Series, "flapping", ctx.Now, flap);
    }

    /// <summary>When the next flapping series may settle, or null.</summary>
    private DateTimeOffset? NextFlapDue => flapTimers.TryPeek(out _, out var due) ? due : null;

    /// <summary>Settles the flapping series due at or before <paramref name="now"/> whose turn comes before <paramref name="before"/>.</summary>
    private bool SettleOne(DateTimeOffset now, DateTimeOffset? before)
    {
        if (!flapTimers.TryPeek(out var entry, out var due) || due > now || (before is { } b && b < due))
        {
            return false;
        }

        flapTimers.Dequeue();
        gate.AdvanceTo(due);
        var (rt, st) = entry;
        if (st.Flap is { } watch && rt.Rule.Flap is { } flap && watch.Settled(due, flap))
        {
            Settle(rt, st, watch, flap, due);
        }

        return true;
    }

    /// <summary>
    /// A flapping series stable for <c>within</c>: notifications resume, and its state is announced
    /// once when it differs from what the last notification sent said (firing: the fire's
    /// notifications; resolved after a fire was announced: the resolve's). Publish and log, which ran
    /// all along, do not run again.
    /// </summary>
    private void Settle(RuleRuntime rt, SeriesState st, FlapWatch watch, Rules.FlapSpec flap, DateTimeOffset due)
    {
        watch.Resume();
        var firing = st.Phase == Phase.Firing;
        var announce = rt.Enabled && (firing ? watch.Announced != true : watch.Announced == true);
        var sentence = announce ? (firing ? "it settled firing: the fire is announced once" : "it settled resolved: the resolve is announced once")
            : "it settled as the last notification sent said: nothing is announced";
        LifecycleLog.FlapSettled(logger, rt.Rule.Id, st.Series, Durations.Format(flap.Within), StepReasonText.Phase(st.Phase), sentence);
        if (rt.Observed)
        {
            decisions!.Flap(rt, st, due, "flap_settled", $"stable for {Durations.Format(flap.Within)}: {sentence}", null);
        }

        options.FlapChanged?.Invoke(new FlapChange(rt.Rule.Id, st.Series, false, due));
        ReportFlap(rt, st.Series, "flap_settled", due, flap);
        if (!announce)
        {
            return;
        }

        FillFromLast(rt, st, due);
        var ev = firing ? RuleEvent.Fire : RuleEvent.Resolve;
        var hold = HoldFor(rt, st, ev);
        emitter.Emit(rt, firing ? rt.Rule.Actions : rt.Rule.OnResolve, ctx, ev, st.Series, hold, notificationsOnly: true);
        if (hold is null)
        {
            watch.Announced = firing;
        }
    }

    /// <summary>After a reload: flapping series of the rules kept wait to settle again; acknowledgements of series no longer firing end.</summary>
    private void RequeueLifecycle()
    {
        flapTimers.Clear();
        foreach (var rt in runtimes)
        {
            foreach (var st in rt.Series.Values)
            {
                if (st.Flap is { Flapping: true } watch && rt.Rule.Flap is { } flap)
                {
                    flapTimers.Enqueue((rt, st), watch.SettlesAt(flap));
                }
                else if (rt.Rule.Flap is null)
                {
                    st.Flap = null;
                }
            }
        }

        KeepAcks();
    }

    private void KeepAcks()
    {
        var byId = runtimes.ToDictionary(r => r.Rule.Id, StringComparer.Ordinal);
        lifecycle.KeepAcks((rule, series) => byId.TryGetValue(rule, out var rt) && rt.Series.TryGetValue(series, out var st) && st.Phase == Phase.Firing);
    }
}
