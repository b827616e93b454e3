using MqttRules.State;

namespace MqttRules.Engine;

/// <summary>
/// The state machine of one series, Idle → Pending → (HeldBack) → Firing → Idle, as a pure
/// function: the series' state, a trigger and the rule's settings in, a <see cref="StepDecision"/>
/// out. It changes nothing and calls nothing; the engine applies the decision (state, timer,
/// save, event). Conditions are evaluated before, by the rule's runtime.
/// </summary>
internal static class SeriesStep
{
    public static StepDecision Decide(in SeriesPoint s, in StepTrigger t, in StepSettings r) => t.Kind switch
    {
        TriggerKind.Message when r.Absent > TimeSpan.Zero => AbsentMessage(s, t.At, r),
        TriggerKind.Message when r.EachMessage => EachMessage(s, t, r),
        TriggerKind.Message => Message(s, t, r),
        TriggerKind.Timer => Timer(s with { Due = null }, t.At, r),
        _ => Restore(s, t.At, r),
    };

    /// <summary>
    /// A message that leaves the series as it is and decides nothing but <see cref="StepReason.ConditionFalse"/>:
    /// an idle series whose condition does not hold (not an absence watch, which every message re-arms).
    /// The engine checks it first and skips the step for most messages of a healthy system.
    /// </summary>
    public static bool Unmoved(Phase phase, bool holds, in StepSettings r) => phase == Phase.Idle && !holds && r.Absent <= TimeSpan.Zero;

    /// <summary>Seconds from <paramref name="since"/> to <paramref name="now"/>; 0 without a start.</summary>
    public static double Elapsed(DateTimeOffset? since, DateTimeOffset now) => since is { } s ? (now - s).TotalSeconds : 0;

    private static StepDecision Message(in SeriesPoint s, in StepTrigger t, in StepSettings r)
    {
        var now = t.At;
        switch (s.Phase)
        {
            case Phase.Idle when t.Holds:
                var started = s with { Since = now };
                return r.For <= TimeSpan.Zero
                    ? TryFire(started, now, r, 0, StepReason.ConditionHeld)
                    : Transition(started, Phase.Pending, now + r.For, StepReason.HeldByFor);
            case Phase.Idle:
                return Stay(s, StepReason.ConditionFalse);
            case Phase.Pending when !t.Holds:
                return Transition(s with { Since = null }, Phase.Idle, null, StepReason.ConditionEnded);
            case Phase.Pending when now >= s.Since + r.For:
                return TryFire(s, now, r, Elapsed(s.Since, now), StepReason.ForElapsed);
            case Phase.Pending:
                return Stay(s, StepReason.HeldByFor, s.Since + r.For);
            default:
                return Clear(s, t, r);
        }
    }

    /// <summary>Firing or held back: resolves when <c>clear</c> is met (without one, when <c>when</c> no longer holds).</summary>
    private static StepDecision Clear(in SeriesPoint s, in StepTrigger t, in StepSettings r)
    {
        var cleared = r.HasClear ? t.Clear : !t.Holds;
        if (cleared is not true)
        {
            var reason = cleared is null ? StepReason.ClearUndecided : r.HasClear ? StepReason.ClearNotMet : StepReason.StillHolds;
            return Stay(s, reason, s.Due);
        }

        var ev = s.Phase == Phase.Firing ? StepEvent.Resolve : StepEvent.None;
        return Transition(s with { Since = null }, Phase.Idle, null, StepReason.Cleared, ev, Elapsed(s.Since, t.At));
    }

    private static StepDecision Timer(in SeriesPoint s, DateTimeOffset due, in StepSettings r) => s.Phase switch
    {
        Phase.Pending => TryFire(s, due, r, Elapsed(s.Since, due), StepReason.ForElapsed),
        Phase.HeldBack => Fire(s, due, r, Elapsed(s.Since, due), StepReason.CooldownEnded),
        Phase.Firing when r.Repeat > TimeSpan.Zero && r.Absent <= TimeSpan.Zero =>
            Transition(s, Phase.Firing, due + r.Repeat, StepReason.Repeat, StepEvent.Repeat, Elapsed(s.Since, due)),
        Phase.Idle when r.Absent > TimeSpan.Zero =>
            Transition(s with { LastFire = due }, Phase.Firing, null, StepReason.Silence, StepEvent.Fire, Elapsed(s.LastSeen, due)),
        _ => Stay(s, StepReason.TimerIgnored),
    };

    /// <summary>Any message re-arms the silence watch; one after a fire resolves it.</summary>
    private static StepDecision AbsentMessage(in SeriesPoint s, DateTimeOffset now, in StepSettings r)
    {
        var wasFiring = s.Phase == Phase.Firing;
        return Transition(s, Phase.Idle, now + r.Absent, wasFiring ? StepReason.Returned : StepReason.AbsentWatch,
            wasFiring ? StepEvent.Resolve : StepEvent.None, urgent: wasFiring);
    }

    /// <summary>each_message: every message on which <c>when</c> holds runs the actions, at most once per cooldown.</summary>
    private static StepDecision EachMessage(in SeriesPoint s, in StepTrigger t, in StepSettings r)
    {
        if (!t.Holds)
        {
            return Stay(s, StepReason.ConditionFalse);
        }

        if (CooldownEnd(s, t.At, r) is { } until)
        {
            return Stay(s, StepReason.HeldByCooldown, until);
        }

        var save = r.Cooldown > TimeSpan.Zero ? StepSave.Urgent : StepSave.None;
        return new(s with { LastFire = t.At }, StepEvent.Message, StepReason.ConditionHeld, null, save);
    }

    /// <summary>
    /// Start-up: an <c>absent:</c> series not firing watches again from its last message, and a
    /// silence that ended while the engine was down fires once, now (SPEC §5).
    /// </summary>
    private static StepDecision Restore(in SeriesPoint s, DateTimeOffset now, in StepSettings r)
    {
        if (r.Absent > TimeSpan.Zero && s.Phase != Phase.Firing && s.LastSeen is { } seen)
        {
            var ended = seen + r.Absent < now;
            var due = ended ? now : seen + r.Absent;
            return new(s with { Due = due }, StepEvent.None, ended ? StepReason.SilenceWhileDown : StepReason.AbsentWatch, due, SetsTimer: true);
        }

        return new(s, StepEvent.None, StepReason.Restored, s.Due, SetsTimer: s.Due is not null);
    }

    private static StepDecision TryFire(in SeriesPoint s, DateTimeOffset now, in StepSettings r, double duration, StepReason reason) =>
        CooldownEnd(s, now, r) is { } until
            ? Transition(s, Phase.HeldBack, until, StepReason.HeldByCooldown)
            : Fire(s, now, r, duration, reason);

    private static StepDecision Fire(in SeriesPoint s, DateTimeOffset now, in StepSettings r, double duration, StepReason reason) =>
        Transition(s with { LastFire = now }, Phase.Firing, r.Repeat > TimeSpan.Zero ? now + r.Repeat : null, reason, StepEvent.Fire, duration);

    /// <summary>When the running cooldown ends, or null when none runs at <paramref name="now"/>.</summary>
    private static DateTimeOffset? CooldownEnd(in SeriesPoint s, DateTimeOffset now, in StepSettings r) =>
        r.Cooldown > TimeSpan.Zero && s.LastFire is { } last && now < last + r.Cooldown ? last + r.Cooldown : null;

    /// <summary>A move to <paramref name="phase"/>: the timer is set to <paramref name="due"/> (none when null) and the state saved.</summary>
    private static StepDecision Transition(in SeriesPoint s, Phase phase, DateTimeOffset? due, StepReason reason,
        StepEvent ev = StepEvent.None, double duration = 0, bool urgent = true) =>
        new(s with { Phase = phase, Due = due }, ev, reason, due, urgent ? StepSave.Urgent : StepSave.Later, due is not null, duration);

    private static StepDecision Stay(in SeriesPoint s, StepReason reason, DateTimeOffset? until = null) => new(s, StepEvent.None, reason, until);
}
