using MqttRules.Engine;
using MqttRules.Expressions;
using MqttRules.Payloads;
using MqttRules.Values;

namespace MqttRules.History;

/// <summary>
/// The engine's history (SPEC §3 history functions): only the (topic, path) pairs that rules
/// read (<c>RuleSet.HistoryKeys</c>). <c>last()</c> is the latest value seen at the path (a
/// message without it leaves it unchanged); window aggregates read bounded time buckets. A
/// history topic with <c>+</c> or <c>#</c> is matched with MQTT semantics and aggregates every
/// matching topic together (its <c>last()</c> is the latest of any of them). Not thread-safe:
/// the engine's evaluation thread owns it.
/// </summary>
public sealed class MessageHistory : IHistoryRecorder
{
    private readonly Dictionary<(string Topic, string? Path), HistorySeries> byKey = [];
    private readonly Dictionary<string, List<HistorySeries>> exact = new(StringComparer.Ordinal);
    private readonly List<(string Filter, HistorySeries Series)> wildcards = [];
    private long last;

    public MessageHistory(IEnumerable<HistoryKey> keys)
    {
        foreach (var group in keys.GroupBy(k => (k.Topic, k.Path)))
        {
            var series = new HistorySeries(group.Key.Topic, group.Key.Path, group.Max(k => k.Window));
            byKey[group.Key] = series;
            if (TopicMatch.IsFilter(series.Topic))
            {
                wildcards.Add((series.Topic, series));
            }
            else
            {
                if (!exact.TryGetValue(series.Topic, out var list))
                {
                    exact[series.Topic] = list = [];
                }

                list.Add(series);
            }
        }
    }

    public IEnumerable<string> Filters => byKey.Keys.Select(k => k.Topic).Distinct(StringComparer.Ordinal);

    internal IEnumerable<HistorySeries> Series => byKey.Values;

    public bool Wants(string topic, IReadOnlyList<string>? via = null) =>
        (exact.ContainsKey(topic) && (via is null || RuleEngine.Contains(via, topic)))
        || wildcards.Exists(w => (via is null || RuleEngine.Contains(via, w.Filter)) && TopicMatch.Matches(w.Filter, topic));

    public void Record(string topic, Payload payload, DateTimeOffset now, IReadOnlyList<string>? via = null)
    {
        last = Math.Max(last, now.UtcTicks);
        if (exact.TryGetValue(topic, out var list) && (via is null || RuleEngine.Contains(via, topic)))
        {
            foreach (var series in list)
            {
                series.Record(payload, last);
            }
        }

        foreach (var (filter, series) in wildcards)
        {
            if ((via is null || RuleEngine.Contains(via, filter)) && TopicMatch.Matches(filter, topic))
            {
                series.Record(payload, last);
            }
        }
    }

    public Value Last(string topic, string? path) =>
        byKey.TryGetValue((topic, path), out var s) ? s.Last : Value.Missing;

    public Value Aggregate(Aggregate aggregate, string topic, string path, TimeSpan window, DateTimeOffset now) =>
        byKey.TryGetValue((topic, path), out var s) && s.Buckets is { } b
            ? b.Aggregate(aggregate, Math.Max(last, now.UtcTicks), window)
            : Value.Missing;

    /// <summary>The history as JSON, for the durable state store.</summary>
    public string Save() => HistoryJson.Save(byKey.Values, last);

    /// <summary>Restores what <see cref="Save"/> wrote; series the rules no longer read, or whose buckets changed shape, are dropped.</summary>
    public bool Load(string json)
    {
        if (HistoryJson.Load(json, byKey) is not { } restoredLast)
        {
            return false;
        }

        last = Math.Max(last, restoredLast);
        return true;
    }
}
