using MqttRules.Expressions;
using MqttRules.Rules;
using MqttRules.State;

namespace MqttRules.Engine;

/// <summary>How a reload treated each rule, as counted in its one-line summary.</summary>
public sealed record ReloadSummary(int Rules, int Added, int Removed, int Changed, int Unchanged)
{
    public override string ToString() => $"{Rules} rules ({Added} added, {Removed} removed, {Changed} changed, {Unchanged} unchanged)";
}

/// <summary>Hot reload: new rules swapped in between two messages, keeping what each rule may keep.</summary>
internal sealed partial class RuleEngine
{
    /// <summary>
    /// Replaces the rules with <paramref name="rules"/> (already validated); call on the evaluation
    /// thread, between two messages. A rule whose <see cref="Rule.Definition"/> is the same keeps all
    /// its series as they are (phase, pending <c>for</c> start, cooldown and repeat clocks, baselines,
    /// latest message, queued timer). A changed rule keeps each series' baseline and latest message
    /// when its <see cref="Rule.SeriesDefinition"/> is the same, and starts its state machine afresh;
    /// otherwise, and for removed rules, the series are forgotten (their saved rows deleted).
    /// </summary>
    /// <param name="historyFor">The history for other history keys (the old one's content is loaded into it); null: keep the current one.</param>
    public ReloadSummary Reload(RuleSet rules, Func<IReadOnlySet<HistoryKey>, IHistoryRecorder?>? historyFor = null)
    {
        Volatile.Write(ref currentRules, rules.Rules);
        gate.Use(rules);
        var now = options.Clock.GetUtcNow();
        var before = runtimes.ToDictionary(r => r.Rule.Id, StringComparer.Ordinal);
        var fresh = Runtimes(rules);
        var reset = new List<(RuleRuntime Rule, SeriesState Series)>();
        var switchedOn = fresh.Where(rt => rt.Enabled && before.TryGetValue(rt.Rule.Id, out var old) && !old.Enabled).ToArray();
        int added = 0, changed = 0, unchanged = 0;
        foreach (var rt in fresh)
        {
            if (!before.Remove(rt.Rule.Id, out var old))
            {
                added++;
            }
            else if (old.Rule.Definition == rt.Rule.Definition)
            {
                unchanged++;
                foreach (var st in old.Series.Values)
                {
                    rt.Restore(st);
                }
            }
            else
            {
                changed++;
                HandOver(old, rt, reset);
            }
        }

        foreach (var old in before.Values)
        {
            Forget(old);
        }

        runtimes = fresh;
        schedules = new IZonedSchedule?[runtimes.Length];
        Index();
        ReplaceHistory(rules.HistoryKeys, historyFor);
        RequeueTimers(reset, now);
        foreach (var rt in switchedOn)
        {
            ArmAfterEnable(rt, now);
        }

        RequeueLifecycle();
        foreach (var rt in runtimes)
        {
            options.EnabledChanged?.Invoke(rt.Rule.Id, rt.Enabled);
        }

        foreach (var old in before.Values)
        {
            options.EnabledChanged?.Invoke(old.Rule.Id, null);
        }

        RebindConfirmations();
        AnnounceFiring();
        return new ReloadSummary(fresh.Length, added, before.Count, changed, unchanged);
    }

    /// <summary>A changed rule: keeps baselines and latest messages when what they depend on is the same, else nothing.</summary>
    private void HandOver(RuleRuntime old, RuleRuntime rt, List<(RuleRuntime, SeriesState)> reset)
    {
        if (old.Rule.SeriesDefinition != rt.Rule.SeriesDefinition)
        {
            Log.RuleChangedAfresh(logger, rt.Rule.Id);
            Forget(old);
            return;
        }

        Log.RuleChangedKeepingBaselines(logger, rt.Rule.Id, old.Series.Count);
        foreach (var st in old.Series.Values)
        {
            st.Phase = Phase.Idle;
            st.Since = null;
            st.LastFire = null;
            st.Due = null;
            st.Flap = null;
            rt.Restore(st);
            reset.Add((rt, st));
        }
    }

    private void Forget(RuleRuntime old)
    {
        foreach (var st in old.Series.Values)
        {
            journal.Forget(old, st);
        }
    }

    /// <summary>The timer queue again: kept series keep their timers (and their order), reset ones are restored, schedules armed.</summary>
    private void RequeueTimers(List<(RuleRuntime Rule, SeriesState Series)> reset, DateTimeOffset now)
    {
        timers.Clear();
        var isReset = reset.Select(r => r.Series).ToHashSet();
        foreach (var rt in runtimes)
        {
            foreach (var st in rt.Series.Values.Where(s => !isReset.Contains(s)))
            {
                timers.Requeue(rt, st);
            }
        }

        foreach (var (rt, st) in reset)
        {
            st.Queued = null;
            Restore(rt, st, now);
            journal.MarkDirty(rt, st, urgent: true);
        }

        foreach (var rt in runtimes)
        {
            if (rt.Rule.Schedule is { } spec)
            {
                var cron = spec.In(rt.Zone);
                schedules[rt.Index] = cron;
                var st = rt.GetSeries("")!;
                if (rt.Enabled && st.Due is null && cron.NextAfter(now) is { } next)
                {
                    st.Due = next;
                    timers.Schedule(rt, st, next);
                }
            }
        }
    }

    private void ReplaceHistory(IReadOnlySet<HistoryKey> keys, Func<IReadOnlySet<HistoryKey>, IHistoryRecorder?>? historyFor)
    {
        if (historyFor is null || keys.SetEquals(historyKeys))
        {
            return;
        }

        var old = options.History;
        var history = historyFor(keys);
        if (old is not null && history is not null)
        {
            history.Load(old.Save());
        }

        historyKeys = keys;
        options = options with { History = history };
        ctx.History = history ?? (IHistory)NoHistory.Instance;
        journal.History = history;
        journal.HistoryChanged();
    }
}
