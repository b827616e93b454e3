using Microsoft.Extensions.Logging;
using MqttRules.Actions;
using MqttRules.Diagnostics;
using MqttRules.Expressions;
using MqttRules.Payloads;
using MqttRules.Rules;
using MqttRules.State;
using MqttRules.Topics;
using MqttRules.Values;

namespace MqttRules.Engine;

/// <summary>
/// Evaluates rules against messages and time. Not thread-safe: one evaluation thread calls
/// <see cref="Process"/> and <see cref="AdvanceTo"/>; live and replay drive the same code.
/// </summary>
public sealed partial class RuleEngine
{
    private readonly RuleRuntime[] runtimes;
    private readonly TopicIndex<RuleRuntime> index = new();
    private readonly List<RuleRuntime> matches = [];
    // Ordered by due time, then by when the timer was set, so timers due together run in a stable order.
    private readonly PriorityQueue<(RuleRuntime Rule, SeriesState Series), (DateTimeOffset Due, long Order)> timers = new();
    private readonly HashSet<(RuleRuntime Rule, SeriesState Series)> dirty = [];

    /// <summary>A transition is among the dirty series: save now, not at the next periodic flush.</summary>
    private bool urgentDirty;
    private readonly EvalContext ctx = new();
    private readonly IActionSink sink;
    private readonly EngineOptions options;
    private readonly ILogger logger;
    private readonly IZonedSchedule?[] schedules;
    private readonly MessageFailureLog failures;
    private const string HistoryKey = "history";
    private static readonly TimeSpan HistorySaveInterval = TimeSpan.FromMinutes(1);
    private long timerOrder;
    private bool historyChanged;
    private DateTimeOffset lastHistorySave;

    public RuleEngine(RuleSet rules, IActionSink sink, EngineOptions? options = null)
    {
        this.sink = sink;
        this.options = options ?? new EngineOptions();
        logger = this.options.Logger;
        failures = new MessageFailureLog(logger, this.options.Clock);
        Metrics = this.options.Metrics;
        Errors = new EvaluationErrorLog(logger);
        if (this.options.History is { } history)
        {
            ctx.History = history;
        }

        runtimes = rules.Rules.Select((r, i) => new RuleRuntime(r, i, this)).ToArray();
        schedules = new IZonedSchedule?[runtimes.Length];
        foreach (var rt in runtimes)
        {
            if (rt.Rule.Topic is { } topic)
            {
                index.Add(topic.Match, rt);
            }
        }

        Metrics.KnowRules(runtimes.Select(r => r.Rule.Id));
        Metrics.SeriesTracked = () => runtimes.Sum(r => (long)r.Series.Count);
        foreach (var rt in runtimes)
        {
            rt.MatchCounter = Metrics.RuleMatchCounter(rt.Rule.Id);
            rt.ErrorCounter = Metrics.EvaluationErrorCounter(rt.Rule.Id);
            rt.ErrorWindow = new LogWindow(this.options.Clock);
        }
    }

    public EngineMetrics Metrics { get; }

    /// <summary>Counts and logs (rate-limited) evaluations that failed.</summary>
    internal EvaluationErrorLog Errors { get; }
    internal TimeZoneInfo DefaultTimeZone => options.DefaultTimeZone;

    /// <summary>The filters to subscribe: every rule topic, plus the topics history functions read.</summary>
    public IReadOnlyList<string> Subscriptions =>
        runtimes.Where(r => r.Rule.Topic is not null).Select(r => r.Rule.Topic!.Subscription)
            .Concat(options.History?.Filters ?? []).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>When the next timer is due, or null when nothing waits.</summary>
    public DateTimeOffset? NextDue => timers.TryPeek(out _, out var next) ? next.Due : null;

    /// <summary>Restores durable state and arms schedules; call once before the first message.</summary>
    public void Start()
    {
        var now = options.Clock.GetUtcNow();
        lastHistorySave = now;
        if (options.History is { } history && options.StateStore.LoadValue(HistoryKey) is { } saved && history.Load(saved))
        {
            Log.HistoryRestored(logger);
        }

        var restored = 0;
        var byId = runtimes.ToDictionary(r => r.Rule.Id, StringComparer.Ordinal);
        foreach (var snap in options.StateStore.LoadSeries())
        {
            if (byId.TryGetValue(snap.RuleId, out var rt) && Restore(rt, snap, now))
            {
                restored++;
            }
        }

        if (restored > 0)
        {
            Log.StateRestored(logger, restored);
        }

        foreach (var rt in runtimes)
        {
            if (rt.Rule.Schedule is { } spec)
            {
                var cron = spec.In(rt.Zone);
                schedules[rt.Index] = cron;
                var st = rt.GetSeries("")!;
                if (cron.NextAfter(now) is { } next)
                {
                    st.Due = next;
                    Schedule(rt, st, next);
                }
            }
        }
    }

    /// <summary>Evaluates one message at the clock's current time.</summary>
    /// <param name="via">
    /// The subscribed filters this copy of the message arrived for (MQTT 5 subscription identifiers):
    /// only rules and history topics subscribed through one of them see it, so a message matching
    /// overlapping subscriptions, delivered once per subscription, is evaluated once by each. Null: all.
    /// </param>
    /// <returns>
    /// False when the message reached no rule and no history topic (a wider covering subscription
    /// brought it): it is counted as ignored, not as evaluated.
    /// </returns>
    public bool Process(string topic, ReadOnlyMemory<byte> payload, IReadOnlyList<string>? via = null)
    {
        var now = options.Clock.GetUtcNow();
        if (!Route(topic, via, now, out var wantsHistory))
        {
            return false;
        }

        var history = options.History;
        using var parsed = Payload.TryParse(payload, out var error);
        if (parsed is null)
        {
            Metrics.PayloadError();
            failures.Report(topic, error!);
            return true;
        }

        string[]? levels = null;
        foreach (var rt in matches)
        {
            rt.MatchCounter.Increment();
            try
            {
                var captures = rt.Captures.Length == 0 ? [] : Capture(topic, rt.Captures, ref levels);
                if (rt.GetSeries(topic) is not { } series)
                {
                    continue;
                }

                Fill(rt, now, topic, parsed, captures);
                rt.OnMessage(series, ctx, new MessageSnapshot(topic, payload, captures));
            }
            catch (Exception ex)
            {
                rt.ErrorCounter.Increment();
                failures.Crashed(ex, rt.Rule.Id, topic);
            }
        }

        if (wantsHistory)
        {
            history!.Record(topic, parsed, now, via);
            historyChanged = true;
        }

        FlushUrgent();
        return true;
    }

    /// <summary>
    /// A message whose payload could not even be read (replay's bad payload line): counted and
    /// reported as a bad payload when it reaches a rule or history topic, ignored otherwise, as live.
    /// </summary>
    public bool ProcessUnreadable(string topic, string reason)
    {
        if (!Route(topic, null, options.Clock.GetUtcNow(), out _))
        {
            return false;
        }

        Metrics.PayloadError();
        failures.Report(topic, reason);
        return true;
    }

    /// <summary>
    /// Runs due timers, finds the rules <paramref name="topic"/> reaches (in written order) and
    /// counts the message as evaluated, or as ignored when no rule and no history topic wants it.
    /// </summary>
    private bool Route(string topic, IReadOnlyList<string>? via, DateTimeOffset now, out bool wantsHistory)
    {
        AdvanceTo(now);
        matches.Clear();
        index.Match(topic, matches);
        if (via is not null)
        {
            KeepSubscribedVia(via);
        }

        if (matches.Count > 1)
        {
            // The trie finds rules by filter shape; act in the order the rules are written.
            matches.Sort(static (x, y) => x.Index.CompareTo(y.Index));
        }

        wantsHistory = options.History is { } history && history.Wants(topic, via);
        if (matches.Count == 0 && !wantsHistory)
        {
            Metrics.MessageIgnored();
            return false;
        }

        Metrics.MessageReceived();
        return true;
    }

    /// <summary>Drops the matches not subscribed through <paramref name="via"/>, in place (no closure per message).</summary>
    private void KeepSubscribedVia(IReadOnlyList<string> via)
    {
        var kept = 0;
        for (var i = 0; i < matches.Count; i++)
        {
            if (Contains(via, matches[i].Rule.Topic!.Subscription))
            {
                matches[kept++] = matches[i];
            }
        }

        matches.RemoveRange(kept, matches.Count - kept);
    }

    internal static bool Contains(IReadOnlyList<string> via, string filter)
    {
        for (var i = 0; i < via.Count; i++)
        {
            if (string.Equals(via[i], filter, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Runs every timer due at or before <paramref name="now"/>, each at its own due time.</summary>
    public void AdvanceTo(DateTimeOffset now)
    {
        while (timers.TryPeek(out var entry, out var next) && next.Due <= now)
        {
            timers.Dequeue();
            var due = next.Due;
            var (rt, st) = entry;
            if (st.Queued == due)
            {
                st.Queued = null;
            }

            if (st.Due != due)
            {
                RequeueLater(entry, due);
                continue;
            }

            st.Due = null;
            try
            {
                if (schedules[rt.Index] is { } cron)
                {
                    RunSchedule(rt, st, cron, due);
                }
                else
                {
                    rt.OnTimer(st, due);
                }
            }
            catch (Exception ex)
            {
                rt.ErrorCounter.Increment();
                failures.Crashed(ex, rt.Rule.Id, st.Series);
            }
        }

        failures.Tick();
        FlushUrgent();
    }

    /// <summary>
    /// Writes every changed series state to the store, and the history at most once a minute
    /// (every time when <paramref name="final"/>, at shutdown).
    /// </summary>
    public void FlushState(bool final = false)
    {
        SaveHistory(final);
        DeleteEvicted();
        if (dirty.Count == 0)
        {
            return;
        }

        var snapshots = dirty.Select(k => Snapshot(k.Rule, k.Series)).ToArray();
        try
        {
            options.StateStore.SaveSeries(snapshots);
            dirty.Clear();
            urgentDirty = false;
        }
        catch (Exception ex)
        {
            Log.StateSaveFailed(logger, ex);
        }
    }

    private void SaveHistory(bool final)
    {
        var now = options.Clock.GetUtcNow();
        if (!historyChanged || options.History is not { } history || (!final && now - lastHistorySave < HistorySaveInterval))
        {
            return;
        }

        try
        {
            options.StateStore.SaveValue(HistoryKey, history.Save());
            historyChanged = false;
            lastHistorySave = now;
        }
        catch (Exception ex)
        {
            Log.StateSaveFailed(logger, ex);
        }
    }

    /// <summary>
    /// Sets the timer of a series. The queue holds one entry per series: when one at or before
    /// <paramref name="due"/> is already queued (an absence watch moved later by every message), it
    /// is left to re-queue itself for the new time when it comes due.
    /// </summary>
    internal void Schedule(RuleRuntime rt, SeriesState st, DateTimeOffset due)
    {
        st.DueOrder = timerOrder++;
        if (st.Queued is { } queued && queued <= due)
        {
            return;
        }

        st.Queued = due;
        timers.Enqueue((rt, st), (due, st.DueOrder));
    }

    /// <summary>An entry that came due before its series' timer, which was moved later: queued again for the new time.</summary>
    private void RequeueLater((RuleRuntime Rule, SeriesState Series) entry, DateTimeOffset due)
    {
        var st = entry.Series;
        if (st.Queued is null && st.Due is { } later && later > due)
        {
            st.Queued = later;
            timers.Enqueue(entry, (later, st.DueOrder));
        }
    }

    internal void MarkDirty(RuleRuntime rt, SeriesState st, bool urgent)
    {
        if (options.StateStore is NullStateStore)
        {
            return;
        }

        dirty.Add((rt, st));
        urgentDirty |= urgent;
    }

    internal IBaseline NewBaseline(AnomalySpec spec, TimeZoneInfo zone) =>
        options.BaselineFactory?.Invoke(spec, zone) ?? throw new InvalidOperationException("anomaly rules need a baseline factory");

    /// <summary>
    /// Renders and hands on a list of actions; one failing action never stops the others. A
    /// template hole that cannot be evaluated renders empty (null as a whole JSON value) and is
    /// reported; a payload or body that is nothing but such a hole skips only its own action.
    /// Returns how many actions were handed on.
    /// </summary>
    internal int Emit(RuleRuntime rt, IReadOnlyList<ActionSpec> actions, EvalContext context, RuleEvent ev, string? series)
    {
        Log.RuleEvent(logger, rt.Rule.Id, RenderedAction.EventName(ev), series);
        var submitted = 0;
        for (var i = 0; i < actions.Count; i++)
        {
            var spec = actions[i];
            context.MissingHole = null;
            RenderedAction rendered;
            try
            {
                rendered = ActionRenderer.Render(spec, context, rt.Rule.Id, ev, series);
            }
            catch (UnevaluatedContentException ex)
            {
                Errors.Report(rt, series, EvaluationFailure.HoleSkipped, ex.Hole);
                continue;
            }
            catch (ActionRenderException ex)
            {
                Metrics.Action(RenderedAction.KindName(spec.Kind), "error");
                Log.ActionRenderFailed(logger, rt.Rule.Id, series, i + 1, RenderedAction.KindName(spec.Kind), ex.Message);
                continue;
            }

            if (context.MissingHole is { } hole)
            {
                Errors.Report(rt, series, EvaluationFailure.HoleEmpty, hole);
            }

            // each_message runs carry no idempotency key: two messages may share series and time.
            sink.Submit(ev == RuleEvent.Message ? rendered : rendered with { Id = ActionId(rt.Rule.Id, series, ev, context.Now, i) });
            submitted++;
        }

        return submitted;
    }

    /// <summary>
    /// The idempotency key of an action: the same rule, series, event, time and position always
    /// give the same key, so an event evaluated again after a crash is not delivered twice.
    /// </summary>
    internal static string ActionId(string ruleId, string? series, RuleEvent ev, DateTimeOffset time, int index) => ActionIds.Derive(ruleId, series, ev, time, index);

    /// <summary>A context for a timer event: the series' latest message, re-read.</summary>
    internal EvalContext ContextFor(RuleRuntime rt, SeriesState st, DateTimeOffset now)
    {
        ctx.Reset(now, rt.Zone);
        if (st.Last is { } last && Payload.TryParse(last.Payload, out _) is { } payload)
        {
            Fill(rt, now, last.Topic, payload, last.Captures);
            if (rt.Rule.Anomaly is not null)
            {
                rt.Rescore(st, ctx);
            }
        }

        return ctx;
    }

    private void RunSchedule(RuleRuntime rt, SeriesState st, IZonedSchedule cron, DateTimeOffset due)
    {
        if (cron.NextAfter(due) is { } next)
        {
            st.Due = next;
            Schedule(rt, st, next);
        }

        ctx.Reset(due, rt.Zone);
        var gate = rt.Rule.When is null ? true : rt.Rule.When.EvaluateCondition(ctx);
        if (gate is null)
        {
            Errors.Report(rt, null, EvaluationFailure.WhenUndecided, rt.Rule.When!.Source);
            return;
        }

        rt.MatchCounter.Increment();
        if (gate.Value)
        {
            Emit(rt, rt.Rule.Actions, ctx, RuleEvent.Schedule, null);
        }
    }

    private void Fill(RuleRuntime rt, DateTimeOffset now, string topic, Payload payload, string?[] captures)
    {
        ctx.Reset(now, rt.Zone);
        ctx.Topic = topic;
        ctx.Payload = payload;
        ctx.Captures = captures;
        ctx.RuleValue = rt.ValuePath is { } path ? payload.Get(path) : payload.DefaultValue();
    }

    private static string?[] Capture(string topic, IReadOnlyList<TopicCapture> captures, ref string[]? levels)
    {
        levels ??= topic.Split('/');
        var values = new string?[captures.Count];
        for (var i = 0; i < captures.Count; i++)
        {
            var level = captures[i].Level;
            values[i] = level < levels.Length ? levels[level] : null;
        }

        return values;
    }

    private void FlushUrgent()
    {
        if (urgentDirty)
        {
            FlushState();
        }
    }

    private bool Restore(RuleRuntime rt, SeriesSnapshot snap, DateTimeOffset now)
    {
        var st = new SeriesState(snap.Series)
        {
            Phase = snap.Phase,
            Since = snap.Since,
            LastFire = snap.LastFire,
            Due = snap.Due,
            LastSeen = snap.LastSeen,
            Last = snap.LastTopic is null ? null : new MessageSnapshot(snap.LastTopic, snap.LastPayload ?? [], snap.LastCaptures ?? []),
        };
        if (rt.Rule.Anomaly is { } spec && snap.Extra is { } extra)
        {
            st.Extra = options.BaselineLoader?.Invoke(spec, rt.Zone, extra);
        }

        if (rt.Rule.Absent > TimeSpan.Zero && st.Phase != Phase.Firing && st.LastSeen is { } seen)
        {
            // a silence that ended while the engine was down fires once, at start-up (SPEC §5)
            st.Due = seen + rt.Rule.Absent < now ? now : seen + rt.Rule.Absent;
        }

        rt.Restore(st);
        if (st.Due is { } due)
        {
            Schedule(rt, st, due);
        }

        return true;
    }

    private static SeriesSnapshot Snapshot(RuleRuntime rt, SeriesState st) => new(
        rt.Rule.Id, st.Series, st.Phase, st.Since, st.LastFire, st.Due, st.LastSeen,
        st.Last?.Topic, st.Last?.Payload.ToArray(), st.Last?.Captures, (st.Extra as IBaseline)?.Save());

}
