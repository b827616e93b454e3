using MqttRules.Engine;
using MqttRules.Expressions;
using MqttRules.Payloads;
using MqttRules.Topics;
using MqttRules.Values;

namespace MqttRules.History;

/// <summary>
/// The engine's history (SPEC §3 history functions): only the (topic, path) pairs that rules
/// read (<c>RuleSet.HistoryKeys</c>). <c>last()</c> is the latest value seen at the path (a
/// message without it leaves it unchanged); window aggregates read bounded time buckets. A
/// history topic with <c>+</c> or <c>#</c> is matched with MQTT semantics (by the rules' own
/// <see cref="TopicIndex{T}"/>) and aggregates every matching topic together (its
/// <c>last()</c> is the latest of any of them). Not thread-safe: the engine's evaluation thread
/// owns it.
/// </summary>
internal sealed class MessageHistory : IHistoryRecorder
{
    private readonly Dictionary<(string Topic, string? Path), HistorySeries> byKey = [];
    private readonly TopicIndex<HistorySeries> index = new();
    private readonly List<HistorySeries> matched = [];
    private long last;

    public MessageHistory(IEnumerable<HistoryKey> keys)
    {
        foreach (var group in keys.GroupBy(k => (k.Topic, k.Path)))
        {
            var series = new HistorySeries(group.Key.Topic, group.Key.Path, group.Max(k => k.Window));
            byKey[group.Key] = series;
            index.Add(series.Topic, series);
        }
    }

    public IEnumerable<string> Filters => byKey.Keys.Select(k => k.Topic).Distinct(StringComparer.Ordinal);

    internal IEnumerable<HistorySeries> Series => byKey.Values;

    public bool Wants(string topic, IReadOnlyList<string>? via = null)
    {
        Match(topic, via);
        return matched.Count > 0;
    }

    public void Record(string topic, Payload payload, DateTimeOffset now, IReadOnlyList<string>? via = null)
    {
        last = Math.Max(last, now.UtcTicks);
        Match(topic, via);
        foreach (var series in matched)
        {
            series.Record(payload, last);
        }
    }

    /// <summary>Fills <see cref="matched"/> with the series whose topic (or filter) matches, limited to the filters the message came <paramref name="via"/>.</summary>
    private void Match(string topic, IReadOnlyList<string>? via)
    {
        matched.Clear();
        index.Match(topic, matched);
        for (var i = matched.Count - 1; i >= 0 && via is not null; i--)
        {
            if (!RuleEngine.Contains(via, matched[i].Topic))
            {
                matched.RemoveAt(i);
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
