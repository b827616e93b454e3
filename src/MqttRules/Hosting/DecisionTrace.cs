using Microsoft.Extensions.Logging;
using MqttRules.Engine;
using MqttRules.Explaining;

namespace MqttRules.Hosting;

/// <summary>
/// The live decision trace: the last decisions of each rule (<see cref="Capacity"/>, fewer with
/// many rules: <see cref="CapacityFor"/>), kept for <c>GET /api/rules/{id}/decisions</c> (when
/// <paramref name="keep"/>), and the decisions of the <paramref name="traced"/> rules
/// (<c>--trace</c>) logged at info. The engine thread writes; HTTP threads read without a lock and
/// without touching engine state (<see cref="Recent"/>).
/// </summary>
internal sealed class DecisionTrace : IDecisionObserver
{
    public const int Capacity = 50;

    /// <summary>Decisions kept over all rules, at most (while each rule keeps at least <see cref="MinCapacity"/>).</summary>
    public const int Budget = 5_000;

    public const int MinCapacity = 2;

    private readonly bool keep;
    private readonly IReadOnlySet<string> traced;
    private readonly ILogger logger;
    private readonly int capacity;

    // Written by the engine thread (a rule added by a reload gets its ring when the engine asks Wants), read by HTTP threads.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Ring> rings;

    public DecisionTrace(IEnumerable<string> ruleIds, bool keep, IReadOnlySet<string> traced, ILogger logger)
    {
        var ids = ruleIds.ToList();
        this.keep = keep;
        this.traced = traced;
        this.logger = logger;
        capacity = CapacityFor(ids.Count);
        rings = new(ids.Select(id => KeyValuePair.Create(id, new Ring(capacity))), StringComparer.Ordinal);
    }

    /// <summary>
    /// Decisions kept per rule: 50, or fewer when that many rules would keep more than
    /// <see cref="Budget"/> in all. A decision is a few hundred bytes that lives long: 10,000 rules
    /// with 50 each held a heap of 140 MB in a flood, and every collection scanned it.
    /// </summary>
    public static int CapacityFor(int rules) => Math.Clamp(Budget / Math.Max(1, rules), MinCapacity, Capacity);

    /// <summary>Decisions kept per rule in this trace.</summary>
    public int RuleCapacity => capacity;

    /// <summary>Where fires and resolves are also kept for the status page, when it is served.</summary>
    internal Status.RecentEvents? Events { get; init; }

    public bool Wants(string ruleId) => (keep && rings.GetOrAdd(ruleId, static (_, c) => new Ring(c), capacity) is not null) || traced.Contains(ruleId);

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
    /// A single-writer ring of the last <c>capacity</c> decisions: the writer stores a slot, then
    /// publishes the new count; a reader copies the slots between two reads of the count and drops
    /// those the writer may have overwritten meanwhile. One slot more than it returns, so that the
    /// slot the writer may be filling during a copy is never one of those returned.
    /// </summary>
    private sealed class Ring(int capacity)
    {
        private readonly RuleDecision?[] slots = new RuleDecision?[capacity + 1];
        private long count;

        public void Add(RuleDecision d)
        {
            var n = count;
            Volatile.Write(ref slots[n % slots.Length], d);
            Volatile.Write(ref count, n + 1);
        }

        public List<RuleDecision> Copy()
        {
            var end = Volatile.Read(ref count);
            var start = Math.Max(0, end - capacity);
            var copy = new RuleDecision?[end - start];
            for (var i = start; i < end; i++)
            {
                copy[i - start] = Volatile.Read(ref slots[i % slots.Length]);
            }

            // Slots below (count now - slots) + 1 may hold a newer decision written during the copy.
            var stable = Math.Max(start, Volatile.Read(ref count) - slots.Length + 1);
            return [.. copy.Skip((int)(stable - start)).OfType<RuleDecision>()];
        }
    }
}

internal static partial class TraceLog
{
    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Rule {RuleId} decided: {Decision}")]
    public static partial void Decision(ILogger logger, string ruleId, string decision);
}
