using MqttRules.Topics;

namespace MqttRules.Mqtt;

/// <summary>
/// One SUBSCRIBE packet. <see cref="Via"/>: the requested filters whose rules and history a copy
/// carrying <see cref="Id"/> feeds; null when every rule matching the topic may see it.
/// </summary>
internal sealed record PlannedSubscription(IReadOnlyList<string> Filters, uint? Id, IReadOnlyList<string>? Via);

/// <summary>
/// What to subscribe so that each published message is evaluated once per rule and history key,
/// exactly as <c>replay</c> evaluates it, although brokers send one copy per matching subscription
/// (MQTT 5 §3.3.4). Pure: computed from the requested filters. Both protocols subscribe a covering
/// set: a filter another covers is dropped, two filters that overlap otherwise are replaced by the
/// narrowest filter covering both (a warning names them). What cannot be merged (a shared
/// subscription, a <c>$</c> topic) is handled by
/// <list type="bullet">
/// <item><see cref="WithIdentifiers"/> (MQTT 5): each such filter gets a SUBSCRIBE of its own with a
/// subscription identifier, and a copy feeds only the rules of the identifier(s) it carries, whether
/// the broker sends one copy per subscription or one copy with all of them. The other filters share
/// one packet and identifier, so a copy from a subscription an earlier rule set left in the session
/// (an unknown identifier) feeds nothing.</item>
/// <item><see cref="Covering"/> (MQTT 3.1.1, or a broker without identifiers): a warning that a
/// message matching both may be evaluated twice.</item>
/// </list>
/// </summary>
internal sealed class SubscriptionPlan
{
    /// <summary>Largest subscription identifier (a variable byte integer, MQTT 5 §3.8.2.1.2).</summary>
    public const uint MaxIdentifier = 268_435_455;

    private static readonly string[] Nothing = [];
    private readonly Dictionary<uint, PlannedSubscription> byId = [];

    private SubscriptionPlan(IReadOnlyList<PlannedSubscription> packets, IReadOnlyList<string> warnings, IReadOnlyList<string> notes)
    {
        Packets = packets;
        Warnings = warnings;
        Notes = notes;
        foreach (var p in packets)
        {
            if (p.Id is { } id)
            {
                byId[id] = p;
            }
        }
    }

    public IReadOnlyList<PlannedSubscription> Packets { get; }

    /// <summary>Overlaps that cost something (a wider filter) or could not be removed.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Filters left out because another filter already receives their messages.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Every filter subscribed, in packet order.</summary>
    public IEnumerable<string> Filters => Packets.SelectMany(p => p.Filters);

    /// <summary>
    /// The requested filters a received copy is for, from the subscription identifiers it carries:
    /// null (any matching rule) when it carries none or the plan uses none; empty when every
    /// identifier is unknown (a subscription left in the session by an earlier rule set).
    /// </summary>
    public IReadOnlyList<string>? Route(IReadOnlyList<uint>? ids)
    {
        if (ids is null || ids.Count == 0 || byId.Count == 0)
        {
            return null;
        }

        if (ids.Count == 1)
        {
            return byId.TryGetValue(ids[0], out var only) ? only.Via : Earlier(ids[0]) ?? Nothing;
        }

        var via = new List<string>();
        foreach (var id in ids)
        {
            if (byId.TryGetValue(id, out var p))
            {
                if (p.Via is null)
                {
                    return null;
                }

                via.AddRange(p.Via);
            }
            else if (Earlier(id) is { } earlier)
            {
                via.AddRange(earlier);
            }
        }

        return via;
    }

    /// <summary>
    /// The plan this one replaced in a reload: a copy sent for one of its subscriptions before the
    /// broker took the new ones still reaches the rules of the filters it was subscribed for.
    /// </summary>
    internal SubscriptionPlan? Previous { get; set; }

    /// <summary>
    /// This plan without its own <see cref="Previous"/>: what the plan replacing it keeps (one
    /// generation back). A copy, so that a message routed through this plan on the receive loop
    /// while the new one is being made still finds this plan's predecessor.
    /// </summary>
    internal SubscriptionPlan Detached() => new(Packets, Warnings, Notes) { sharedServes = sharedServes };

    /// <summary>The requested filters the shared packet serves (its copies carry no <see cref="PlannedSubscription.Via"/>).</summary>
    private IReadOnlyList<string> sharedServes = Nothing;

    /// <summary>The requested filters behind an identifier of <see cref="Previous"/>, named explicitly (new and old filters may overlap).</summary>
    private IReadOnlyList<string>? Earlier(uint id) =>
        Previous is { } before && before.byId.TryGetValue(id, out var p) ? p.Via ?? before.sharedServes : null;

    /// <summary>MQTT 5 with subscription identifiers.</summary>
    public static SubscriptionPlan WithIdentifiers(IEnumerable<string> requested)
    {
        var (subs, warnings, notes) = Cover(requested);
        var overlapping = OverlappingSet(subs);
        var used = new HashSet<uint>();
        var packets = new List<PlannedSubscription>();
        var alone = subs.Where(s => !overlapping.Contains(s)).Select(s => s.Filter).ToArray();
        if (alone.Length > 0)
        {
            var key = "\n" + string.Join('\n', alone.Order(StringComparer.Ordinal));
            packets.Add(new PlannedSubscription(alone, StableId(key, used), null));
        }

        foreach (var s in subs.Where(overlapping.Contains).OrderBy(s => s.Filter, StringComparer.Ordinal))
        {
            packets.Add(new PlannedSubscription([s.Filter], StableId(s.Filter, used), s.Serves));
        }

        return new SubscriptionPlan(packets, warnings, notes)
        {
            sharedServes = subs.Where(s => !overlapping.Contains(s)).SelectMany(s => s.Serves).ToArray(),
        };
    }

    /// <summary>MQTT 3.1.1 (no subscription identifiers): the covering set in one packet; overlaps it cannot remove are warned about.</summary>
    public static SubscriptionPlan Covering(IEnumerable<string> requested)
    {
        var (subs, warnings, notes) = Cover(requested);
        for (var i = 0; i < subs.Count; i++)
        {
            for (var j = i + 1; j < subs.Count; j++)
            {
                if ((subs[i].Wild || subs[j].Wild || subs[i].Part == subs[j].Part) && FilterRelations.Overlaps(subs[i].Part, subs[j].Part))
                {
                    warnings.Add($"topic filters '{subs[i].Filter}' and '{subs[j].Filter}' overlap and cannot be merged; on MQTT 3.1.1 a message matching both may be evaluated twice (use MQTT 5, which tells the copies apart)");
                }
            }
        }

        var filters = subs.Select(s => s.Filter).ToArray();
        return new SubscriptionPlan(filters.Length == 0 ? [] : [new PlannedSubscription(filters, null, null)], warnings, notes);
    }

    /// <summary>
    /// Filters no two of which overlap, where possible: a filter another covers is dropped, two that
    /// overlap otherwise are replaced by the narrowest filter covering both. Then each message arrives
    /// once and every rule and history topic it matches sees it in one evaluation, in rule order,
    /// exactly as replay evaluates it (separate copies would let one rule see history another copy
    /// already recorded). Shared subscriptions are delivered differently and are never merged.
    /// </summary>
    private static (List<Sub> Subs, List<string> Warnings, List<string> Notes) Cover(IEnumerable<string> requested)
    {
        var subs = requested.Distinct(StringComparer.Ordinal).Select(f => new Sub(f)).ToList();
        var warnings = new List<string>();
        var notes = DropCovered(subs);
        while (FindPair(subs, (x, y) => !x.Shared && !y.Shared && FilterRelations.Overlaps(x.Part, y.Part) && FilterRelations.Widen(x.Part, y.Part) is not null) is var (a, b))
        {
            var wide = new Sub(FilterRelations.Widen(a.Part, b.Part)!);
            wide.Serves.Clear();
            wide.Serves.AddRange(a.Serves.Concat(b.Serves).Distinct(StringComparer.Ordinal));
            warnings.Add($"topic filters '{a.Filter}' and '{b.Filter}' overlap; subscribing to '{wide.Filter}' instead so that a message matching both arrives once; other messages it brings are ignored");
            subs[subs.IndexOf(a)] = wide;
            subs.Remove(b);
            notes.AddRange(DropCovered(subs));
        }

        return (subs, warnings, notes);
    }

    /// <summary>Drops every filter another one covers; the one kept serves both.</summary>
    private static List<string> DropCovered(List<Sub> subs)
    {
        var notes = new List<string>();
        while (FindPair(subs, (x, y) => !x.Shared && !y.Shared && FilterRelations.Covers(x.Part, y.Part)) is var (keep, drop))
        {
            notes.Add($"'{drop.Filter}' is received through '{keep.Filter}'");
            keep.Serves.AddRange(drop.Serves);
            subs.Remove(drop);
        }

        return notes;
    }

    /// <summary>The topic part of a filter (without <c>$share/&lt;group&gt;/</c>).</summary>
    public static string MatchPart(string filter)
    {
        if (!filter.StartsWith("$share/", StringComparison.Ordinal))
        {
            return filter;
        }

        var slash = filter.IndexOf('/', "$share/".Length);
        return slash < 0 ? filter : filter[(slash + 1)..];
    }

    /// <summary>
    /// The same filter gets the same identifier in every run (FNV-1a of its text), so a message the
    /// broker queued while the engine was away still finds its rules after a restart with other rules.
    /// </summary>
    internal static uint StableId(string key, HashSet<uint> used)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        var id = (hash % MaxIdentifier) + 1;
        while (!used.Add(id))
        {
            id = (id % MaxIdentifier) + 1;
        }

        return id;
    }

    private static HashSet<Sub> OverlappingSet(List<Sub> subs)
    {
        var result = new HashSet<Sub>();
        foreach (var group in subs.Where(s => !s.Wild).GroupBy(s => s.Part, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            result.UnionWith(group);
        }

        foreach (var w in subs.Where(s => s.Wild))
        {
            foreach (var other in subs)
            {
                if (!ReferenceEquals(w, other) && FilterRelations.Overlaps(w.Part, other.Part))
                {
                    result.Add(w);
                    result.Add(other);
                }
            }
        }

        return result;
    }

    /// <summary>The first ordered pair (x, y) for which <paramref name="test"/> holds; one of them has a wildcard (two plain filters only relate when equal).</summary>
    private static (Sub, Sub)? FindPair(List<Sub> subs, Func<Sub, Sub, bool> test)
    {
        for (var i = 0; i < subs.Count; i++)
        {
            if (!subs[i].Wild)
            {
                continue;
            }

            for (var j = 0; j < subs.Count; j++)
            {
                var (x, y) = (subs[i], subs[j]);
                if (i == j)
                {
                    continue;
                }

                if (test(x, y))
                {
                    return (x, y);
                }

                if (test(y, x))
                {
                    return (y, x);
                }
            }
        }

        return null;
    }

    private sealed class Sub(string filter)
    {
        public string Filter { get; } = filter;
        public string Part { get; } = MatchPart(filter);
        public bool Shared => !ReferenceEquals(Part, Filter);
        public bool Wild => FilterRelations.HasWildcard(Part);

        /// <summary>The requested filters whose messages this subscription brings.</summary>
        public List<string> Serves { get; } = [filter];
    }
}
