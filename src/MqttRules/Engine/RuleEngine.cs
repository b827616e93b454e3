using Microsoft.Extensions.Logging;
using MqttRules.Actions;
using MqttRules.Diagnostics;
using MqttRules.Expressions;
using MqttRules.Lifecycle;
using MqttRules.Payloads;
using MqttRules.Rules;
using MqttRules.State;
using MqttRules.Topics;
using MqttRules.Values;

namespace MqttRules.Engine;

/// <summary>
/// Evaluates rules against messages and time. Not thread-safe: one evaluation thread calls
/// <see cref="Process"/> and <see cref="AdvanceTo"/>; live and replay drive the same code.
/// It routes each message or timer to the rule's runtime, which evaluates the conditions and
/// decides a step of the series' state machine (<see cref="SeriesStep"/>); the engine then
/// applies the decision through its collaborators: the <see cref="TimerQueue"/>, the
/// <see cref="SeriesJournal"/> (what to save) and the <see cref="ActionEmitter"/>.
/// </summary>
internal sealed partial class RuleEngine
{
    // The rules and what is built of them: replaced together by a reload (RuleEngine.Reload.cs).
    private RuleRuntime[] runtimes;
    private TopicIndex<RuleRuntime> index = new();
    private IZonedSchedule?[] schedules;
    private EngineOptions options;
    private IReadOnlySet<HistoryKey> historyKeys;

    private readonly List<RuleRuntime> matches = [];
    private readonly TimerQueue timers = new();
    private readonly SeriesJournal journal;
    private readonly SeriesAdmission admission;
    private readonly ActionEmitter emitter;
    private readonly EvalContext ctx = new();
    private readonly ILogger logger;
    private readonly MessageFailureLog failures;
    private readonly DecisionBuilder? decisions;
    private readonly Notifiers.NotifierGate gate;

    private IReadOnlyList<Rule> currentRules;

    /// <summary>The rules in force (after a reload, the new ones); safe to read from any thread.</summary>
    public IReadOnlyList<Rule> CurrentRules => Volatile.Read(ref currentRules);

    public RuleEngine(RuleSet rules, IActionSink sink, EngineOptions? options = null)
    {
        currentRules = rules.Rules;
        this.options = options ?? new EngineOptions();
        logger = this.options.Logger;
        failures = new MessageFailureLog(logger, this.options.Clock);
        Metrics = this.options.Metrics;
        Errors = new EvaluationErrorLog(logger);
        journal = new SeriesJournal(this.options);
        gate = new Notifiers.NotifierGate(sink, this.options.HeldAlerts ?? new Notifiers.MemoryHeldAlerts(), this.options.DefaultTimeZone, Metrics, logger);
        gate.Use(rules);
        lifecycle = new LifecycleState(this.options.LifecycleStore, this.options.Clock, logger);
        emitter = new ActionEmitter(gate, Metrics, Errors, logger) { Confirmable = Await, Mutes = lifecycle };
        commandFilters = this.options.CommandPrefix is { } prefix ? LifecycleCommand.Filters(prefix) : [];
        if (this.options.History is { } history)
        {
            ctx.History = history;
        }

        if (this.options.Decisions is { } observer)
        {
            decisions = new DecisionBuilder(observer);
        }

        admission = new SeriesAdmission(this.options, journal);
        historyKeys = rules.HistoryKeys;
        runtimes = Runtimes(rules);
        schedules = new IZonedSchedule?[runtimes.Length];
        Index();
        Metrics.KnowConfirmingRules(ConfirmingRules);
        Metrics.SeriesTracked = () => runtimes.Sum(r => (long)r.Series.Count);
    }

    private RuleRuntime[] Runtimes(RuleSet rules) =>
        rules.Rules.Select((r, i) => new RuleRuntime(r, i, options, admission) { Enabled = lifecycle.Enabled(r) }).ToArray();

    /// <summary>The filters of the MQTT lifecycle commands (none without <see cref="EngineOptions.CommandPrefix"/>).</summary>
    private readonly string[] commandFilters;

    /// <summary>Indexes the rules by topic and gives each its counters.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(index))]
    private void Index()
    {
        index = new TopicIndex<RuleRuntime>();
        foreach (var rt in runtimes)
        {
            if (rt.Enabled && rt.Rule.Topic is { } topic)
            {
                index.Add(topic.Match, rt);
            }
        }

        if (options.Decisions is { } observer)
        {
            foreach (var rt in runtimes)
            {
                rt.Observed = observer.Wants(rt.Rule.Id);
            }
        }

        Metrics.KnowRules(runtimes.Select(r => r.Rule.Id));
        foreach (var rt in runtimes)
        {
            rt.MatchCounter = Metrics.RuleMatchCounter(rt.Rule.Id);
            rt.ErrorCounter = Metrics.EvaluationErrorCounter(rt.Rule.Id);
            rt.ErrorWindow = new LogWindow(options.Clock);
        }
    }

    public EngineMetrics Metrics { get; }

    /// <summary>Counts and logs (rate-limited) evaluations that failed.</summary>
    internal EvaluationErrorLog Errors { get; }

    /// <summary>Entries in the timer queue (at most about one per series that waits for a timer).</summary>
    internal int QueuedTimers => timers.Count;

    /// <summary>The filters to subscribe: the topic of every rule in force, the topics history functions read, those where publishes are confirmed, and the lifecycle commands.</summary>
    public IReadOnlyList<string> Subscriptions =>
        runtimes.Where(r => r.Enabled && r.Rule.Topic is not null).Select(r => r.Rule.Topic!.Subscription)
            .Concat(options.History?.Filters ?? []).Concat(ConfirmFilters).Concat(commandFilters).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>When the next timer (a series', a notifier's, a wait for a confirmation or a flapping series' settling) is due, or null when nothing waits.</summary>
    public DateTimeOffset? NextDue => Earliest(Earliest(Earliest(timers.NextDue, gate.NextDue), confirmations.NextDue), NextFlapDue);

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => (a, b) switch
    {
        ({ } x, { } y) => x < y ? x : y,
        var (x, y) => x ?? y,
    };

    /// <summary>Restores durable state and arms schedules; call once before the first message.</summary>
    public void Start()
    {
        var now = options.Clock.GetUtcNow();
        journal.LoadHistory(now);
        var restored = 0;
        var byId = runtimes.ToDictionary(r => r.Rule.Id, StringComparer.Ordinal);
        foreach (var (rt, st) in journal.LoadSeries(byId))
        {
            Restore(rt, st, now);
            restored++;
        }

        if (restored > 0)
        {
            Log.StateRestored(logger, restored);
        }

        RestoreConfirmations(byId, now);
        AnnounceFiring();

        foreach (var rt in runtimes)
        {
            if (rt.Rule.Schedule is { } spec)
            {
                var cron = spec.In(rt.Zone);
                schedules[rt.Index] = cron;
                var st = rt.GetSeries("")!;
                if (rt.Enabled && cron.NextAfter(now) is { } next)
                {
                    st.Due = next;
                    timers.Schedule(rt, st, next);
                }
            }

            options.EnabledChanged?.Invoke(rt.Rule.Id, rt.Enabled);
        }

        KeepAcks();
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
        if (commandFilters.Length > 0 && Command(topic, payload, via))
        {
            return true;
        }

        if (!Route(topic, via, now, out var wantsHistory, out var wantsConfirmation))
        {
            return false;
        }

        var history = options.History;
        using var parsed = Payload.TryParse(payload, out var error);
        if (parsed is null)
        {
            Metrics.PayloadError();
            failures.Report(topic, error!);
            RefuseObserved(now, topic, "payload_unreadable", $"the payload could not be read: {error}");
            return true;
        }

        string[]? levels = null;
        foreach (var rt in matches)
        {
            rt.MatchCounter.Increment();
            try
            {
                if (rt.GetSeries(topic) is { } series)
                {
                    var captures = Captures(rt, series, topic, ref levels);
                    Fill(rt, now, topic, parsed, captures);
                    OnMessage(rt, series, topic, payload, captures);
                }
                else if (rt.Observed)
                {
                    decisions!.Refused(rt, now, topic, "series_limit", "the rule keeps as many series as it may (MQTTRULES_MAX_SERIES): this new one was not tracked");
                }
            }
            catch (Exception ex)
            {
                rt.ErrorCounter.Increment();
                failures.Crashed(ex, rt.Rule.Id, topic);
                if (rt.Observed)
                {
                    decisions!.Refused(rt, now, topic, "crashed", $"evaluation failed: {ex.Message}");
                }
            }
        }

        if (wantsHistory)
        {
            history!.Record(topic, parsed, now, via);
            journal.HistoryChanged();
        }

        if (wantsConfirmation)
        {
            OfferConfirmation(topic, parsed, via, now);
        }

        journal.FlushUrgent();
        ConfirmJournal.SaveIfChanged(confirmations);
        return true;
    }

    /// <summary>
    /// A message whose payload could not even be read (replay's bad payload line): counted and
    /// reported as a bad payload when it reaches a rule or history topic, ignored otherwise, as live.
    /// </summary>
    public bool ProcessUnreadable(string topic, string reason)
    {
        if (!Route(topic, null, options.Clock.GetUtcNow(), out _, out _))
        {
            return false;
        }

        Metrics.PayloadError();
        failures.Report(topic, reason);
        RefuseObserved(options.Clock.GetUtcNow(), topic, "payload_unreadable", $"the payload could not be read: {reason}");
        return true;
    }

    /// <summary>Runs every timer due at or before <paramref name="now"/>, each at its own due time.</summary>
    public void AdvanceTo(DateTimeOffset now)
    {
        while (true)
        {
            if (SettleOne(now, Earliest(timers.NextDue, confirmations.NextDue)))
            {
                continue;
            }

            // Series timers due up to the next wait for a confirmation run first (ties too), then that wait;
            // the notifiers' timers due before either run before it.
            var limit = confirmations.NextDue is { } wait && wait < now ? wait : now;
            if (timers.TryTakeDue(limit, out var rt, out var st, out var due))
            {
                gate.AdvanceTo(due);
                if (!rt.Enabled)
                {
                    st.Due = due; // kept, not run: the rule is switched off (ArmAfterEnable)
                    continue;
                }

                RunTimer(rt, st, due);
            }
            else if (confirmations.TryTakeDue(now, out var pending, out var ended))
            {
                gate.AdvanceTo(ended);
                RunConfirmationDue(pending, ended);
            }
            else
            {
                break;
            }
        }

        gate.AdvanceTo(now);
        failures.Tick();
        journal.FlushUrgent();
        ConfirmJournal.SaveIfChanged(confirmations);
    }

    private void RunTimer(RuleRuntime rt, SeriesState st, DateTimeOffset due)
    {
        try
        {
            OnTimer(rt, st, due);
        }
        catch (Exception ex)
        {
            rt.ErrorCounter.Increment();
            failures.Crashed(ex, rt.Rule.Id, st.Series);
        }
    }

    private void RunConfirmationDue(PendingConfirmation p, DateTimeOffset due)
    {
        try
        {
            OnConfirmationDue(p, due);
        }
        catch (Exception ex)
        {
            p.Rule.ErrorCounter.Increment();
            failures.Crashed(ex, p.RuleId, p.Series ?? "");
        }
    }

    /// <summary>
    /// Writes every changed series state to the store, and the history at most once a minute
    /// (every time when <paramref name="final"/>, at shutdown).
    /// </summary>
    public void FlushState(bool final = false)
    {
        journal.Flush(final);
        ConfirmJournal.SaveIfChanged(confirmations);
    }

    /// <summary>
    /// Nothing waits for a periodic <see cref="FlushState"/> or <see cref="AdvanceTo"/>: no changed state
    /// to save, no held-back log summary. An idle engine then needs to wake only for a message or its next timer.
    /// </summary>
    public bool Settled => !journal.Pending && !failures.Holding;

    /// <summary>Series whose changes wait for the next <see cref="FlushState"/>.</summary>
    public int UnsavedSeries => journal.DirtyCount;

    /// <summary>The idempotency key of an action (see <see cref="ActionEmitter.ActionId"/>).</summary>
    internal static string ActionId(string ruleId, string? series, RuleEvent ev, DateTimeOffset time, int index) =>
        ActionEmitter.ActionId(ruleId, series, ev, time, index);
}
