using Microsoft.Extensions.Logging;
using MqttRules.Engine;
using MqttRules.Explaining;

namespace MqttRules.Hosting;

/// <summary>
/// The live decision trace: the last <see cref="Capacity"/> decisions of each rule, kept for
/// <c>GET /api/rules/{id}/decisions</c> (when <paramref name="keep"/>), and the decisions of the
/// <paramref name="traced"/> rules (<c>--trace</c>) logged at info. The engine thread writes; HTTP
/// threads read without a lock and without touching engine state (<see cref="Recent"/>).
/// </summary>
internal sealed class DecisionTrace(IEnumerable<string> ruleIds, bool keep, IReadOnlySet<string> traced, ILogger logger) : IDecisionObserver
{
    public const int Capacity = 50;

    // Written by the engine thread (a rule added by a reload gets its ring when the engine asks Wants), read by HTTP threads.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Ring> rings =
        new(ruleIds.Select(id => KeyValuePair.Create(id, new Ring())), StringComparer.Ordinal);

    /// <summary>Where fires and resolves are also kept for the status page, when it is served.</summary>
    internal Status.RecentEvents? Events { get; init; }

    public bool Wants(string ruleId) => (keep && rings.GetOrAdd(ruleId, static _ => new Ring()) is not null) || traced.Contains(ruleId);

    public IReadOnlyList<string> FieldsRead(string condition, IReadOnlyList<string> captures) => ConditionFields.Of(condition, captures);

    public void Observe(RuleDecision decision)
    {
        if (keep && rings.TryGetValue(decision.RuleId, out var ring))
        {
            ring.Add(decision);
        }

        Events?.Add(decision);

        if (traced.Contains(decision.RuleId) && logger.IsEnabled(LogLevel.Information))
        {
            TraceLog.Decision(logger, decision.RuleId, DecisionText.OneLine(decision));
        }
    }

    /// <summary>The rule's last decisions, oldest first; null for a rule that does not exist.</summary>
    public IReadOnlyList<RuleDecision>? Recent(string ruleId) => rings.TryGetValue(ruleId, out var ring) ? ring.Copy() : null;

    /// <summary>
    /// A single-writer ring: the writer stores a slot, then publishes the new count; a reader copies
    /// the slots between two reads of the count and drops those the writer may have overwritten meanwhile.
    /// </summary>
    private sealed class Ring
    {
        private readonly RuleDecision?[] slots = new RuleDecision?[Capacity];
        private long count;

        public void Add(RuleDecision d)
        {
            var n = count;
            Volatile.Write(ref slots[n % Capacity], d);
            Volatile.Write(ref count, n + 1);
        }

        public List<RuleDecision> Copy()
        {
            var end = Volatile.Read(ref count);
            var start = Math.Max(0, end - Capacity);
            var copy = new RuleDecision?[end - start];
            for (var i = start; i < end; i++)
            {
                copy[i - start] = Volatile.Read(ref slots[i % Capacity]);
            }

            // Slots below (count now - Capacity) + 1 may hold a newer decision written during the copy.
            var stable = Math.Max(start, Volatile.Read(ref count) - Capacity + 1);
            return [.. copy.Skip((int)(stable - start)).OfType<RuleDecision>()];
        }
    }
}

internal static partial class TraceLog
{
    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Rule {RuleId} decided: {Decision}")]
    public static partial void Decision(ILogger logger, string ruleId, string decision);
}
