using MqttRules.Actions;
using MqttRules.Expressions;
using MqttRules.Rules;
using MqttRules.State;
using MqttRules.Values;

namespace MqttRules.Engine;

/// <summary>
/// One rule at run time: its series and the state machine Idle → Pending → (HeldBack) → Firing
/// → Idle. Actions are rendered only on transitions (and repeats). Single-threaded: the engine
/// calls it from its one evaluation thread.
/// </summary>
internal sealed class RuleRuntime(Rule rule, int index, RuleEngine engine)
{
    private readonly Dictionary<string, SeriesState> series = new(StringComparer.Ordinal);
    private readonly SeriesLimit limit = new(engine.MaxSeriesPerRule);

    /// <summary>The series found last: a rule on a concrete topic has only one, found without hashing.</summary>
    private SeriesState? lastSeries;

    public Rule Rule { get; } = rule;
    public int Index { get; } = index;
    public TimeZoneInfo Zone { get; } = rule.TimeZone ?? engine.DefaultTimeZone;

    /// <summary>The rule's <c>value:</c> path, split once.</summary>
    public string[]? ValuePath { get; } = rule.ValuePath is null ? null : Payloads.JsonPath.Split(rule.ValuePath);
    public IReadOnlyDictionary<string, SeriesState> Series => series;

    /// <summary>The topic filter's captures, read for every message the rule matches.</summary>
    public TopicCapture[] Captures { get; } = rule.Topic?.Captures is { Count: > 0 } captures ? [.. captures] : [];

    /// <summary>The rule's match counter (set by the engine), kept here so counting a match touches no other array.</summary>
    public Diagnostics.EngineMetrics.Counter MatchCounter { get; set; } = null!;

    /// <summary>The rule's evaluation-error counter (set by the engine).</summary>
    public Diagnostics.EngineMetrics.Counter ErrorCounter { get; set; } = null!;

    /// <summary>Rate limit of this rule's failed-evaluation warnings (set by the engine).</summary>
    internal LogWindow ErrorWindow { get; set; } = null!;

    // What every message reads of the rule, copied next to the series so that a message for a
    // rule not seen for a while (10,000 meters, round-robin) touches as few cold objects as possible.
    private readonly TimeSpan absent = rule.Absent;
    private readonly bool hasValuePath = rule.ValuePath is not null;
    private readonly bool eachMessage = rule.EachMessage;
    private readonly AnomalySpec? anomaly = rule.Anomaly;
    private readonly Evaluator? when = rule.When?.Evaluator;

    /// <summary>The series of <paramref name="key"/>, created when new; null when the series limit refuses a new one.</summary>
    public SeriesState? GetSeries(string key)
    {
        if (lastSeries is { } last && last.Series == key)
        {
            return last;
        }

        if (!series.TryGetValue(key, out var st))
        {
            lastSeries = null; // an eviction may have taken it
            if (!engine.RoomForSeries(this, limit, series))
            {
                return null;
            }

            st = new SeriesState(key);
            series[key] = st;
        }

        lastSeries = st;
        return st;
    }

    public void Restore(SeriesState st)
    {
        series[st.Series] = st;
        lastSeries = null;
    }

    /// <summary>A message on a topic this rule watches; <paramref name="ctx"/> is already filled in.</summary>
    public void OnMessage(SeriesState st, EvalContext ctx, MessageSnapshot snapshot)
    {
        var now = ctx.Now;
        if (absent > TimeSpan.Zero)
        {
            st.Last = snapshot;
            st.LastSeen = now;
            OnAbsentMessage(st, ctx);
            return;
        }

        if (hasValuePath && ctx.RuleValue.IsMissing)
        {
            engine.Errors.Report(this, st.Series, EvaluationFailure.ValueMissing, null);
            return;
        }

        bool? anomalous = null;
        if (anomaly is not null)
        {
            anomalous = ScoreAnomaly(st, ctx);
            if (anomalous is null)
            {
                return;
            }
        }

        var cond = Condition(ctx, anomalous);
        if (cond is null)
        {
            engine.Errors.Report(this, st.Series, EvaluationFailure.WhenUndecided, Rule.When?.Source);
            return;
        }

        // Only a message the rule could decide becomes the one that later fires, repeats and resolves render.
        st.Last = snapshot;
        st.LastSeen = now;

        if (eachMessage)
        {
            OnEachMessage(st, ctx, cond.Value);
            return;
        }

        switch (st.Phase)
        {
            case Phase.Idle when cond.Value:
                st.Since = now;
                ctx.Duration = 0;
                if (Rule.For <= TimeSpan.Zero)
                {
                    TryFire(st, ctx);
                }
                else
                {
                    Transition(st, Phase.Pending, now + Rule.For);
                }

                break;
            case Phase.Pending when !cond.Value:
                Transition(st, Phase.Idle, null);
                st.Since = null;
                break;
            case Phase.Pending when now >= st.Since + Rule.For:
                ctx.Duration = (now - st.Since!.Value).TotalSeconds;
                TryFire(st, ctx);
                break;
            case Phase.HeldBack or Phase.Firing:
                ctx.Duration = st.Since is { } since ? (now - since).TotalSeconds : 0;
                var resolved = Resolved(ctx, cond.Value);
                if (resolved is null)
                {
                    engine.Errors.Report(this, st.Series, Rule.Clear is null ? EvaluationFailure.WhenUndecided : EvaluationFailure.ClearUndecided, (Rule.Clear ?? Rule.When)?.Source);
                }
                else if (resolved.Value)
                {
                    var fired = st.Phase == Phase.Firing;
                    Transition(st, Phase.Idle, null);
                    st.Since = null;
                    if (fired)
                    {
                        engine.Metrics.RuleResolved(Rule.Id);
                        engine.Emit(this, Rule.OnResolve, ctx, RuleEvent.Resolve, st.Series);
                    }
                }

                break;
        }
    }

    /// <summary>The timer of a series is due: for has passed, cooldown ended, a repeat or a silence.</summary>
    public void OnTimer(SeriesState st, DateTimeOffset due)
    {
        var ctx = engine.ContextFor(this, st, due);
        switch (st.Phase)
        {
            case Phase.Pending:
                ctx.Duration = st.Since is { } since ? (due - since).TotalSeconds : 0;
                TryFire(st, ctx);
                break;
            case Phase.HeldBack:
                ctx.Duration = st.Since is { } s ? (due - s).TotalSeconds : 0;
                Fire(st, ctx);
                break;
            case Phase.Firing when Rule.Repeat > TimeSpan.Zero && Rule.Absent <= TimeSpan.Zero:
                ctx.Duration = st.Since is { } f ? (due - f).TotalSeconds : 0;
                Transition(st, Phase.Firing, due + Rule.Repeat);
                engine.Emit(this, Rule.Actions, ctx, RuleEvent.Repeat, st.Series);
                break;
            case Phase.Idle when Rule.Absent > TimeSpan.Zero:
                ctx.Duration = st.LastSeen is { } seen ? (due - seen).TotalSeconds : 0;
                st.LastFire = due;
                Transition(st, Phase.Firing, null);
                engine.Metrics.RuleFired(Rule.Id);
                engine.Emit(this, Rule.Actions, ctx, RuleEvent.Fire, st.Series);
                break;
        }
    }

    private void OnAbsentMessage(SeriesState st, EvalContext ctx)
    {
        var wasFiring = st.Phase == Phase.Firing;
        Transition(st, Phase.Idle, ctx.Now + Rule.Absent, urgent: wasFiring);
        if (wasFiring)
        {
            engine.Metrics.RuleResolved(Rule.Id);
            engine.Emit(this, Rule.OnResolve, ctx, RuleEvent.Resolve, st.Series);
        }
    }

    private void OnEachMessage(SeriesState st, EvalContext ctx, bool cond)
    {
        if (!cond)
        {
            return;
        }

        if (Rule.Cooldown > TimeSpan.Zero && st.LastFire is { } last && ctx.Now < last + Rule.Cooldown)
        {
            return;
        }

        if (engine.Emit(this, Rule.Actions, ctx, RuleEvent.Message, st.Series) == 0)
        {
            return; // every action was skipped: the run did not happen, so it does not start a cooldown
        }

        st.LastFire = ctx.Now;
        if (Rule.Cooldown > TimeSpan.Zero)
        {
            engine.MarkDirty(this, st, urgent: true);
        }
    }

    private bool? Condition(EvalContext ctx, bool? anomalous)
    {
        if (anomalous == false)
        {
            return false;
        }

        return when is null ? true : CompiledExpression.AsCondition(when(ctx));
    }

    /// <summary>Whether a firing (or held-back) series resolves: <c>clear</c> when given, else not <c>when</c>.</summary>
    private bool? Resolved(EvalContext ctx, bool cond) =>
        Rule.Clear is null ? !cond : Rule.Clear.EvaluateCondition(ctx);

    private void TryFire(SeriesState st, EvalContext ctx)
    {
        if (Rule.Cooldown > TimeSpan.Zero && st.LastFire is { } last && ctx.Now < last + Rule.Cooldown)
        {
            Transition(st, Phase.HeldBack, last + Rule.Cooldown);
            return;
        }

        Fire(st, ctx);
    }

    private void Fire(SeriesState st, EvalContext ctx)
    {
        st.LastFire = ctx.Now;
        Transition(st, Phase.Firing, Rule.Repeat > TimeSpan.Zero ? ctx.Now + Rule.Repeat : null);
        engine.Metrics.RuleFired(Rule.Id);
        engine.Emit(this, Rule.Actions, ctx, RuleEvent.Fire, st.Series);
    }

    private void Transition(SeriesState st, Phase phase, DateTimeOffset? due, bool urgent = true)
    {
        st.Phase = phase;
        st.Due = due;
        if (due is { } d)
        {
            engine.Schedule(this, st, d);
        }

        engine.MarkDirty(this, st, urgent);
    }

    /// <summary>Scores the value against the series' baseline, then learns it unless it is anomalous.</summary>
    private bool? ScoreAnomaly(SeriesState st, EvalContext ctx)
    {
        var spec = Rule.Anomaly!;
        if (!ctx.RuleValue.TryNumber(out var value) || !double.IsFinite(value))
        {
            engine.Errors.Report(this, st.Series, EvaluationFailure.ValueNotNumber, null);
            return null;
        }

        var baseline = st.Extra as IBaseline ?? engine.NewBaseline(spec, Zone);
        st.Extra = baseline;
        var score = baseline.Score(value, ctx.Now);
        SetScore(ctx, score);
        var deviates = score.Ready && spec.Direction switch
        {
            AnomalyDirection.Above => score.Z > spec.Threshold,
            AnomalyDirection.Below => -score.Z > spec.Threshold,
            _ => Math.Abs(score.Z) > spec.Threshold,
        };
        if (!deviates && st.Phase != Phase.Firing && st.Phase != Phase.HeldBack)
        {
            baseline.Learn(value, ctx.Now);
        }

        engine.MarkDirty(this, st, urgent: false);
        return deviates;
    }

    /// <summary>
    /// For timer events (a <c>for:</c> that has passed, a cooldown end, a repeat): <c>z</c>,
    /// <c>mean</c> and <c>stddev</c> of the series' latest value, scored again at its own time.
    /// A deviating value was not learned, so this is the score it had when it arrived.
    /// </summary>
    public void Rescore(SeriesState st, EvalContext ctx)
    {
        if (st.Extra is IBaseline baseline && st.LastSeen is { } seen && ctx.RuleValue.TryNumber(out var value) && double.IsFinite(value))
        {
            SetScore(ctx, baseline.Score(value, seen));
        }
    }

    private static void SetScore(EvalContext ctx, AnomalyScore score)
    {
        ctx.Z = Value.Of(score.Z);
        ctx.Mean = Value.Of(score.Mean);
        ctx.Stddev = Value.Of(score.Stddev);
    }
}
