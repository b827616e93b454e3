using MqttRules.Expressions;
using MqttRules.Rules;
using MqttRules.State;
using MqttRules.Values;

namespace MqttRules.Engine;

/// <summary>
/// Builds the <see cref="RuleDecision"/>s the engine hands its <see cref="IDecisionObserver"/>, for
/// the rules it wants (<see cref="RuleRuntime.Observed"/>). Only this path allocates: an engine
/// without an observer never reaches it. Called on the evaluation thread, before the decision is applied.
/// </summary>
internal sealed class DecisionBuilder(IDecisionObserver observer)
{
    /// <summary>The payload fields each condition reads (<see cref="IDecisionObserver.FieldsRead"/>), split once per source.</summary>
    private readonly Dictionary<string, (string Name, string[] Path)[]> fields = new(StringComparer.Ordinal);

    /// <summary>A message the rule evaluated: <paramref name="step"/> is null when the evaluation decided nothing.</summary>
    public void Message(RuleRuntime rt, SeriesState st, EvalContext ctx, in Evaluation eval, Phase before, StepDecision? step)
    {
        var rule = rt.Rule;
        var conditions = new List<ConditionResult>(2);
        if (rule.When is { } when)
        {
            conditions.Add(Condition(rt, "when", when, when.EvaluateCondition(ctx), ctx));
        }

        if (rule.Clear is { } clear && eval.Decided && before is Phase.Firing or Phase.HeldBack && !rule.EachMessage)
        {
            conditions.Add(Condition(rt, "clear", clear, eval.Clear, ctx));
        }

        AnomalyReading? anomaly = rule.Anomaly is { } spec && eval.Failure is not (EvaluationFailure.ValueMissing or EvaluationFailure.ValueNotNumber)
            ? new(rt.LastScore.Z, rt.LastScore.Mean, rt.LastScore.Stddev, rt.LastScore.Ready, RuleRuntime.Deviates(spec, rt.LastScore))
            : null;
        var (reason, sentence) = step is { } s ? Reason(s, anomaly) : Failure(rt, eval);
        observer.Observe(new RuleDecision
        {
            Time = ctx.Now,
            RuleId = rule.Id,
            Series = st.Series,
            Trigger = "message",
            Topic = ctx.Topic,
            Captures = Captures(rt, ctx.Captures),
            Value = ctx.RuleValue,
            Conditions = conditions,
            Anomaly = anomaly,
            PhaseBefore = StepReasonText.Phase(before),
            PhaseAfter = StepReasonText.Phase(step?.Next.Phase ?? before),
            Reason = reason,
            Explanation = sentence,
            Until = step?.Until,
            Event = step is { } e ? StepReasonText.Event(e.Event) : "none",
            Failure = eval.Failure is { } f ? EvaluationErrorLog.Reason(f, eval.Detail, rule.ValuePath) : null,
        });
    }

    /// <summary>A timer or a restore at start-up; <paramref name="filled"/> when the context holds the series' latest message.</summary>
    public void Step(RuleRuntime rt, SeriesState st, string trigger, DateTimeOffset at, Phase before, in StepDecision step, EvalContext? filled)
    {
        observer.Observe(new RuleDecision
        {
            Time = at,
            RuleId = rt.Rule.Id,
            Series = st.Series,
            Trigger = trigger,
            Topic = filled?.Topic ?? st.Last?.Topic,
            Captures = filled is null ? [] : Captures(rt, filled.Captures),
            Value = filled?.RuleValue ?? Value.Missing,
            PhaseBefore = StepReasonText.Phase(before),
            PhaseAfter = StepReasonText.Phase(step.Next.Phase),
            Reason = StepReasonText.Code(step.Reason),
            Explanation = StepReasonText.Sentence(step.Reason, step.Until),
            Until = step.Until,
            Event = StepReasonText.Event(step.Event),
        });
    }

    /// <summary>A scheduled rule's time came: <paramref name="gate"/> is its <c>when</c> (null: undecided).</summary>
    public void Schedule(RuleRuntime rt, EvalContext ctx, bool? gate)
    {
        var conditions = rt.Rule.When is { } when ? [Condition(rt, "when", when, gate, ctx)] : Array.Empty<ConditionResult>();
        observer.Observe(new RuleDecision
        {
            Time = ctx.Now,
            RuleId = rt.Rule.Id,
            Trigger = "schedule",
            Conditions = conditions,
            Reason = gate switch { true => "condition_held", false => "condition_false", _ => "when_undecided" },
            Explanation = gate switch
            {
                true => "the schedule came and the condition holds: the actions run",
                false => "the schedule came but the condition does not hold: nothing to do",
                _ => EvaluationErrorLog.Reason(EvaluationFailure.WhenUndecided, rt.Rule.When?.Source, null),
            },
            Event = gate == true ? "schedule" : "none",
        });
    }

    /// <summary>A publish waiting for confirmation moved on: awaited, confirmed, sent again, unconfirmed (the context holds the confirmation message, if any).</summary>
    public void Confirmation(PendingConfirmation p, DateTimeOffset at, ConfirmStep step) =>
        observer.Observe(new RuleDecision
        {
            Time = at,
            RuleId = p.RuleId,
            Series = p.Series,
            Trigger = "confirmation",
            Topic = p.Topic,
            Reason = ConfirmStepText.Code(step),
            Explanation = ConfirmStepText.Sentence(step, p),
            Until = step is ConfirmStep.Awaiting or ConfirmStep.NotYet or ConfirmStep.Retried or ConfirmStep.Restored ? p.Due : null,
            Event = ConfirmStepText.Event(step),
        });

    /// <summary>A message that reached the rule but could not be evaluated at all (an unreadable payload, the series limit, a crash).</summary>
    /// <summary>A lifecycle marker (a series starts flapping, or settles): trigger <c>flap</c>, no conditions, no event.</summary>
    public void Flap(RuleRuntime rt, SeriesState st, DateTimeOffset now, string reason, string sentence, DateTimeOffset? until) =>
        observer.Observe(new RuleDecision
        {
            Time = now,
            RuleId = rt.Rule.Id,
            Series = st.Series,
            Trigger = "flap",
            PhaseBefore = StepReasonText.Phase(st.Phase),
            PhaseAfter = StepReasonText.Phase(st.Phase),
            Reason = reason,
            Explanation = sentence,
            Until = until,
        });

    public void Refused(RuleRuntime rt, DateTimeOffset now, string topic, string reason, string sentence) =>
        observer.Observe(new RuleDecision
        {
            Time = now,
            RuleId = rt.Rule.Id,
            Series = topic,
            Trigger = "message",
            Topic = topic,
            Reason = reason,
            Explanation = sentence,
            Failure = sentence,
        });

    private static (string, string) Reason(in StepDecision step, AnomalyReading? anomaly) =>
        step.Reason == StepReason.ConditionFalse && anomaly is { Ready: false }
            ? ("anomaly_warming_up", "the anomaly baseline is still warming up (no score yet): nothing can fire")
            : (StepReasonText.Code(step.Reason), StepReasonText.Sentence(step.Reason, step.Until));

    private static (string, string) Failure(RuleRuntime rt, in Evaluation eval) =>
        eval.Failure is { } f
            ? (StepReasonText.Code(f), EvaluationErrorLog.Reason(f, eval.Detail, rt.Rule.ValuePath))
            : ("undecided", "the rule decided nothing for this message");

    private ConditionResult Condition(RuleRuntime rt, string name, CompiledExpression expression, bool? result, EvalContext ctx)
    {
        var read = FieldsOf(rt, expression.Source);
        var values = new KeyValuePair<string, Value>[read.Length];
        for (var i = 0; i < read.Length; i++)
        {
            values[i] = new(read[i].Name, ctx.Payload is { } payload ? payload.Get(read[i].Path) : Value.Missing);
        }

        return new ConditionResult(name, expression.Source, result, values);
    }

    private (string Name, string[] Path)[] FieldsOf(RuleRuntime rt, string source)
    {
        if (!fields.TryGetValue(source, out var read))
        {
            read = [.. observer.FieldsRead(source, [.. rt.Captures.Select(c => c.Name)]).Select(f => (f, Payloads.JsonPath.Split(f)))];
            fields[source] = read;
        }

        return read;
    }

    private static KeyValuePair<string, string?>[] Captures(RuleRuntime rt, string?[] values)
    {
        var captures = new KeyValuePair<string, string?>[rt.Captures.Length];
        for (var i = 0; i < captures.Length; i++)
        {
            captures[i] = new(rt.Captures[i].Name, i < values.Length ? values[i] : null);
        }

        return captures;
    }
}
