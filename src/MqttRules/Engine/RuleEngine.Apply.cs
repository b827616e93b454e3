using System.Runtime.CompilerServices;
using MqttRules.Actions;
using MqttRules.Rules;
using MqttRules.State;

namespace MqttRules.Engine;

/// <summary>Feeds a series' state machine its triggers and applies what it decides.</summary>
internal sealed partial class RuleEngine
{
    /// <summary>A message on a series of <paramref name="rt"/>; the context is filled in.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // hot path: see docs/benchmarks.md, "decide, then apply"
    private void OnMessage(RuleRuntime rt, SeriesState st, string topic, ReadOnlyMemory<byte> payload, string?[] captures)
    {
        var eval = rt.Evaluate(st, ctx);
        if (eval.Scored)
        {
            journal.MarkDirty(rt, st, urgent: false);
        }

        if (eval.Failure is { } failure)
        {
            Errors.Report(rt, st.Series, failure, eval.Detail);
        }

        if (!eval.Decided)
        {
            if (rt.Observed)
            {
                decisions!.Message(rt, st, ctx, eval, st.Phase, null);
            }

            return;
        }

        // Only a message the rule could decide becomes the one that later fires, repeats and resolves render.
        rt.DecidedSinceStart = true;
        if (st.Last is { } last && last.Topic == topic && ReferenceEquals(last.Captures, captures))
        {
            last.Payload = payload;
        }
        else
        {
            st.Last = new MessageSnapshot(topic, payload, captures);
        }

        st.LastSeen = ctx.Now;
        if (rt.Observed)
        {
            var step = rt.Decide(st, StepTrigger.Message(ctx.Now, eval.Holds, eval.Clear));
            decisions!.Message(rt, st, ctx, eval, st.Phase, step);
            Apply(rt, st, step);
        }
        else if (!rt.Unmoved(st, eval.Holds))
        {
            Apply(rt, st, rt.Decide(st, StepTrigger.Message(ctx.Now, eval.Holds, eval.Clear)));
        }
    }

    /// <summary>The timer of a series is due: for has passed, cooldown ended, a repeat, a silence or a schedule.</summary>
    private void OnTimer(RuleRuntime rt, SeriesState st, DateTimeOffset due)
    {
        if (schedules[rt.Index] is { } cron)
        {
            RunSchedule(rt, st, cron, due);
            return;
        }

        var decision = rt.Decide(st, StepTrigger.Timer(due));
        if (decision.Event != StepEvent.None)
        {
            FillFromLast(rt, st, due);
        }

        if (rt.Observed)
        {
            decisions!.Step(rt, st, "timer", due, st.Phase, decision, decision.Event != StepEvent.None ? ctx : null);
        }

        Apply(rt, st, decision);
    }

    private void Restore(RuleRuntime rt, SeriesState st, DateTimeOffset now)
    {
        var decision = rt.Decide(st, StepTrigger.Restore(now));
        if (rt.Observed)
        {
            decisions!.Step(rt, st, "restore", now, st.Phase, decision, null);
        }

        decision.Next.WriteTo(st);
        rt.Restore(st);
        if (decision.SetsTimer)
        {
            timers.Schedule(rt, st, decision.Next.Due!.Value);
        }
    }

    /// <summary>
    /// Applies a decision: the new state, its timer and save, then the event (counted, rendered
    /// and handed on). An each_message run changes the state only when one of its actions ran.
    /// </summary>
    private void Apply(RuleRuntime rt, SeriesState st, in StepDecision decision)
    {
        if (decision.Event == StepEvent.Message)
        {
            if (emitter.Emit(rt, rt.Rule.Actions, ctx, RuleEvent.Message, st.Series, HoldFor(rt, st, RuleEvent.Message)) > 0)
            {
                decision.Next.WriteTo(st);
                Save(rt, st, decision.Save);
            }

            return;
        }

        var before = st.Phase;
        decision.Next.WriteTo(st);
        if (before != st.Phase && options.Events is not null)
        {
            TrackFiring(rt, before, st.Phase);
        }

        if (decision.SetsTimer)
        {
            timers.Schedule(rt, st, decision.Next.Due!.Value);
        }

        Save(rt, st, decision.Save);
        if (decision.Event != StepEvent.None)
        {
            ctx.Duration = decision.Duration;
            Emit(rt, st, decision.Event);
        }
    }

    private void Save(RuleRuntime rt, SeriesState st, StepSave save)
    {
        if (save != StepSave.None)
        {
            journal.MarkDirty(rt, st, save == StepSave.Urgent);
        }
    }

    private void Emit(RuleRuntime rt, SeriesState st, StepEvent ev)
    {
        switch (ev)
        {
            case StepEvent.Fire:
                Metrics.RuleFired(rt.Rule.Id);
                emitter.Emit(rt, rt.Rule.Actions, ctx, RuleEvent.Fire, st.Series, BeforeEmit(rt, st, RuleEvent.Fire));
                Report(rt, st, "fire");
                break;
            case StepEvent.Repeat:
                emitter.Emit(rt, rt.Rule.Actions, ctx, RuleEvent.Repeat, st.Series, BeforeEmit(rt, st, RuleEvent.Repeat));
                break;
            case StepEvent.Resolve:
                Metrics.RuleResolved(rt.Rule.Id);
                emitter.Emit(rt, rt.Rule.OnResolve, ctx, RuleEvent.Resolve, st.Series, BeforeEmit(rt, st, RuleEvent.Resolve));
                Report(rt, st, "resolve");
                break;
        }
    }

    private void RunSchedule(RuleRuntime rt, SeriesState st, IZonedSchedule cron, DateTimeOffset due)
    {
        if (cron.NextAfter(due) is { } next)
        {
            st.Due = next;
            timers.Schedule(rt, st, next);
        }

        ctx.Reset(due, rt.Zone);
        var gate = rt.Rule.When is null ? true : rt.Rule.When.EvaluateCondition(ctx);
        if (rt.Observed)
        {
            decisions!.Schedule(rt, ctx, gate);
        }

        if (gate is null)
        {
            Errors.Report(rt, null, EvaluationFailure.WhenUndecided, rt.Rule.When!.Source);
            return;
        }

        rt.MatchCounter.Increment();
        rt.DecidedSinceStart = true;
        if (gate.Value)
        {
            emitter.Emit(rt, rt.Rule.Actions, ctx, RuleEvent.Schedule, null, HoldFor(rt, null, RuleEvent.Schedule));
        }
    }

    /// <summary>A message that reached the observed rules but could not be read: each of them says so.</summary>
    private void RefuseObserved(DateTimeOffset now, string topic, string reason, string sentence)
    {
        if (decisions is null)
        {
            return;
        }

        foreach (var rt in matches)
        {
            if (rt.Observed)
            {
                decisions.Refused(rt, now, topic, reason, sentence);
            }
        }
    }
}
