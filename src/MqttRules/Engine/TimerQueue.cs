using System.Runtime.CompilerServices;
using MqttRules.State;

namespace MqttRules.Engine;

/// <summary>
/// The series timers (for, cooldown end, repeat, absence, schedules), ordered by due time, then
/// by when the timer was set, so timers due together run in a stable order. The queue holds one
/// entry per series: a timer moved later leaves its entry to re-queue itself when it comes due.
/// </summary>
internal sealed class TimerQueue
{
    private readonly PriorityQueue<(RuleRuntime Rule, SeriesState Series), (DateTimeOffset Due, long Order)> timers = new();
    private long timerOrder;

    /// <summary>When the next timer is due, or null when nothing waits.</summary>
    public DateTimeOffset? NextDue => timers.TryPeek(out _, out var next) ? next.Due : null;

    /// <summary>Entries in the queue (at most about one per series that waits for a timer).</summary>
    public int Count => timers.Count;

    /// <summary>
    /// Sets the timer of a series (its <see cref="SeriesState.Due"/> is already <paramref name="due"/>).
    /// When an entry at or before <paramref name="due"/> is already queued (an absence watch moved
    /// later by every message), it is left to re-queue itself for the new time when it comes due.
    /// </summary>
    public void Schedule(RuleRuntime rt, SeriesState st, DateTimeOffset due)
    {
        st.DueOrder = timerOrder++;
        if (st.Queued is { } queued && queued <= due)
        {
            return;
        }

        st.Queued = due;
        timers.Enqueue((rt, st), (due, st.DueOrder));
    }

    /// <summary>
    /// Takes the next timer due at or before <paramref name="now"/>, skipping (and re-queuing)
    /// entries whose series' timer moved; the series' timer is cleared, as it has come due.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // hot path: see docs/benchmarks.md, "decide, then apply"
    public bool TryTakeDue(DateTimeOffset now, out RuleRuntime rt, out SeriesState st, out DateTimeOffset due)
    {
        while (timers.TryPeek(out var entry, out var next) && next.Due <= now)
        {
            timers.Dequeue();
            (rt, st) = entry;
            due = next.Due;
            if (st.Queued == due)
            {
                st.Queued = null;
            }

            if (st.Due == due)
            {
                st.Due = null;
                return true;
            }

            RequeueLater(entry, due);
        }

        (rt, st, due) = (null!, null!, default);
        return false;
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

    /// <summary>Empties the queue (a reload queues the timers of the series it keeps again).</summary>
    public void Clear() => timers.Clear();

    /// <summary>Queues the timer a series already has (its <see cref="SeriesState.Due"/>), in the order it was set.</summary>
    public void Requeue(RuleRuntime rt, SeriesState st)
    {
        if (st.Due is { } due)
        {
            st.Queued = due;
            timers.Enqueue((rt, st), (due, st.DueOrder));
        }
        else
        {
            st.Queued = null;
        }
    }
}
