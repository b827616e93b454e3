using MqttRules.Engine;
using MqttRules.Values;

namespace MqttRules.Hosting.Status;

/// <summary>One fire or resolve, as the status page lists it.</summary>
internal sealed record RecentEvent(DateTimeOffset Time, string RuleId, string? Series, string Event, Value Value);

/// <summary>
/// The fires and resolves of the last <see cref="Window"/>, at most <see cref="Capacity"/> (the
/// newest kept). The engine thread adds (from the decision trace); HTTP threads copy under a lock
/// that is only taken on a fire or a resolve and on a status request.
/// </summary>
internal sealed class RecentEvents(TimeProvider clock)
{
    public const int Capacity = 500;

    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    private readonly Queue<RecentEvent> events = new();
    private readonly Lock gate = new();

    public void Add(RuleDecision decision)
    {
        if (decision.Event is not ("fire" or "resolve"))
        {
            return;
        }

        lock (gate)
        {
            events.Enqueue(new RecentEvent(decision.Time, decision.RuleId, decision.Series, decision.Event, decision.Value));
            while (events.Count > Capacity || events.Peek().Time <= decision.Time - Window)
            {
                events.Dequeue();
            }
        }
    }

    /// <summary>The events of the last 24 h, newest first.</summary>
    public IReadOnlyList<RecentEvent> Recent()
    {
        var since = clock.GetUtcNow() - Window;
        lock (gate)
        {
            return [.. events.Where(e => e.Time > since).Reverse()];
        }
    }
}
