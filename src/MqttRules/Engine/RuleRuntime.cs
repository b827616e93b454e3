using System.Runtime.CompilerServices;
using MqttRules.Expressions;
using MqttRules.Rules;
using MqttRules.State;
using MqttRules.Values;

namespace MqttRules.Engine;

/// <summary>
/// One rule at run time: its series, and the evaluation of its conditions for a message (the
/// anomaly score, <c>when</c>, <c>clear</c>), which feeds the pure state machine
/// (<see cref="SeriesStep"/>). It calls nothing back: the engine applies what it decides.
/// Single-threaded: the engine calls it from its one evaluation thread.
/// </summary>
internal sealed class RuleRuntime(Rule rule, int index, EngineOptions options, SeriesAdmission admission)
{
    private readonly Dictionary<string, SeriesState> series = new(StringComparer.Ordinal);
    private readonly SeriesLimit limit = new(options.MaxSeriesPerRule);

    /// <summary>The series found last: a rule on a concrete topic has only one, found without hashing.</summary>
    private SeriesState? lastSeries;

    public Rule Rule { get; } = rule;
    public int Index { get; } = index;
    public TimeZoneInfo Zone { get; } = rule.TimeZone ?? options.DefaultTimeZone;

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

    /// <summary>Whether the rule is in force: its <c>enabled:</c>, or a run-time override (Lifecycle/).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Whether the engine's decision observer wants this rule's decisions (set by the engine).</summary>
    public bool Observed { get; set; }

    /// <summary>How many series are firing, kept only for <see cref="EngineOptions.Events"/> (set by the engine).</summary>
    public int FiringSeries { get; set; }

    /// <summary>Whether a message (or the schedule) was evaluated successfully since start (<c>GET /api/rules</c>).</summary>
    public bool DecidedSinceStart { get; set; }

    /// <summary>The anomaly score of the latest value scored, for decisions.</summary>
    public AnomalyScore LastScore { get; private set; }

    // What every message reads of the rule, copied next to the series so that a message for a
    // rule not seen for a while (10,000 meters, round-robin) touches as few cold objects as possible.
    private readonly StepSettings settings = StepSettings.Of(rule);
    private readonly bool hasValuePath = rule.ValuePath is not null;
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
            if (!admission.RoomFor(this, limit, series))
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

    /// <summary>The state machine's step for <paramref name="st"/>: what to do, and why; changes nothing.</summary>
    public StepDecision Decide(SeriesState st, in StepTrigger trigger) => SeriesStep.Decide(SeriesPoint.Of(st), trigger, settings);

    /// <summary>
    /// Evaluates the rule for a message on <paramref name="st"/> (<paramref name="ctx"/> is filled in):
    /// the anomaly score (learning the value when it is normal), <c>when</c>, and <c>clear</c> when
    /// the series is firing or held back. Absent rules read no condition: every message counts.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // hot path: see docs/benchmarks.md, "decide, then apply"
    public Evaluation Evaluate(SeriesState st, EvalContext ctx)
    {
        if (settings.Absent > TimeSpan.Zero)
        {
            return new(Decided: true, Holds: true);
        }

        if (hasValuePath && ctx.RuleValue.IsMissing)
        {
            return Evaluation.Failed(EvaluationFailure.ValueMissing, null, scored: false);
        }

        bool? anomalous = null;
        if (anomaly is not null)
        {
            anomalous = ScoreAnomaly(st, ctx);
            if (anomalous is null)
            {
                return Evaluation.Failed(EvaluationFailure.ValueNotNumber, null, scored: false);
            }
        }

        var scored = anomaly is not null;
        var cond = anomalous == false ? false : when is null ? true : CompiledExpression.AsCondition(when(ctx));
        if (cond is not { } holds)
        {
            return Evaluation.Failed(EvaluationFailure.WhenUndecided, Rule.When?.Source, scored);
        }

        return st.Phase is Phase.HeldBack or Phase.Firing && !settings.EachMessage && Rule.Clear is { } clear
            ? EvaluateClear(st, ctx, clear, holds, scored)
            : new(true, holds, Scored: scored);
    }

    /// <summary>Whether a message on <paramref name="st"/> moves nothing (<see cref="SeriesStep.Unmoved"/>): most messages, decided without a step.</summary>
    public bool Unmoved(SeriesState st, bool holds) => SeriesStep.Unmoved(st.Phase, holds, settings);

    /// <summary><c>clear</c>, for a series firing or held back (with <c>duration</c> set); undecided is reported, and decides nothing.</summary>
    private static Evaluation EvaluateClear(SeriesState st, EvalContext ctx, CompiledExpression clearSpec, bool holds, bool scored)
    {
        ctx.Duration = SeriesStep.Elapsed(st.Since, ctx.Now);
        var clear = clearSpec.EvaluateCondition(ctx);
        return clear is null
            ? new(true, holds, null, EvaluationFailure.ClearUndecided, clearSpec.Source, scored)
            : new(true, holds, clear, Scored: scored);
    }

    /// <summary>Scores the value against the series' baseline, then learns it unless it is anomalous.</summary>
    private bool? ScoreAnomaly(SeriesState st, EvalContext ctx)
    {
        var spec = Rule.Anomaly!;
        if (!ctx.RuleValue.TryNumber(out var value) || !double.IsFinite(value))
        {
            return null;
        }

        var baseline = st.Extra as IBaseline ?? NewBaseline(spec);
        st.Extra = baseline;
        var score = baseline.Score(value, ctx.Now);
        SetScore(ctx, score);
        LastScore = score;
        var deviates = Deviates(spec, score);
        if (!deviates && st.Phase != Phase.Firing && st.Phase != Phase.HeldBack)
        {
            baseline.Learn(value, ctx.Now);
        }

        return deviates;
    }

    /// <summary>Whether a ready score lies beyond the rule's threshold in its direction.</summary>
    public static bool Deviates(AnomalySpec spec, AnomalyScore score) => score.Ready && spec.Direction switch
    {
        AnomalyDirection.Above => score.Z > spec.Threshold,
        AnomalyDirection.Below => -score.Z > spec.Threshold,
        _ => Math.Abs(score.Z) > spec.Threshold,
    };

    private IBaseline NewBaseline(AnomalySpec spec) =>
        options.BaselineFactory?.Invoke(spec, Zone) ?? throw new InvalidOperationException("anomaly rules need a baseline factory");

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

/// <summary>
/// What a rule's conditions say of one message: whether it <see cref="Decided"/> anything (when
/// not, the series is left as it is), whether <c>when</c> <see cref="Holds"/>, <see cref="Clear"/>
/// (when evaluated), a <see cref="Failure"/> to report, and whether the anomaly baseline was
/// <see cref="Scored"/> (it changed: save it later).
/// </summary>
internal readonly record struct Evaluation(
    bool Decided,
    bool Holds,
    bool? Clear = null,
    EvaluationFailure? Failure = null,
    string? Detail = null,
    bool Scored = false)
{
    public static Evaluation Failed(EvaluationFailure failure, string? detail, bool scored) => new(false, false, null, failure, detail, scored);
}
