using MqttRules.Payloads;
using MqttRules.Replay;
using MqttRules.Rules;
using MqttRules.Topics;

namespace MqttRules.Checking;

/// <summary>One thing a recording shows to be wrong with a rule.</summary>
public sealed record Finding(SourceLocation Location, string RuleId, string Message)
{
    public override string ToString() => $"{Location}: rule '{RuleId}': {Message}";
}

/// <summary>
/// <c>validate --input FILE.jsonl</c>: what a recording of real traffic shows about the rules that
/// the rule files alone cannot: topic filters that matched no recorded topic, fields a condition
/// (or <c>value:</c>) reads that never occur in the recorded payloads of the rule's topics, and
/// comparisons of a number with a field whose recorded values are text. Fields are read exactly
/// as the engine reads them.
/// </summary>
public static class RecordingCheck
{
    public static IReadOnlyList<Finding> Check(RuleSet rules, IEnumerable<ReplayLine> recording, out RecordingSummary summary)
    {
        var watched = rules.Rules.Where(r => r.Topic is not null).Select(r => new RuleObservation(r)).ToList();
        var index = new TopicIndex<RuleObservation>();
        foreach (var w in watched)
        {
            index.Add(w.Rule.Topic!.Match, w);
        }

        var topics = new HashSet<string>(StringComparer.Ordinal);
        var messages = 0;
        var matches = new List<RuleObservation>();
        foreach (var line in recording)
        {
            messages++;
            topics.Add(line.Topic);
            matches.Clear();
            index.Match(line.Topic, matches);
            if (matches.Count == 0 || line.Payload is null)
            {
                continue;
            }

            using var payload = Payload.TryParse(line.Payload, out _);
            if (payload is null)
            {
                continue;
            }

            foreach (var m in matches)
            {
                m.Observe(line.Topic, payload);
            }
        }

        summary = new RecordingSummary(messages, topics.Count);
        return messages == 0 ? [] : [.. watched.SelectMany(w => w.Findings(topics.Count))];
    }
}

/// <summary>How many messages and distinct topics a recording held.</summary>
public readonly record struct RecordingSummary(int Messages, int Topics);
