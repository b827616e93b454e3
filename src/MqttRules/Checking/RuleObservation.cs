using MqttRules.Values;
using MqttRules.Payloads;
using MqttRules.Rules;

namespace MqttRules.Checking;

/// <summary>What the recorded messages of one rule's topics showed of the fields the rule reads.</summary>
internal sealed class RuleObservation
{
    private const int Examples = 3;
    private readonly List<(string Key, ExpressionUse Use)> conditions = [];
    private readonly Dictionary<string, FieldSeen> fields = new(StringComparer.Ordinal);
    private readonly FieldSeen value = new(null);
    private readonly SortedSet<string> topLevel = new(StringComparer.Ordinal);
    private readonly HashSet<string> topics = new(StringComparer.Ordinal);
    private int payloads;

    public RuleObservation(Rule rule)
    {
        Rule = rule;
        var captures = rule.Topic!.Captures.Select(c => c.Name).ToArray();
        foreach (var (key, expression) in new[] { ("when", rule.When), ("clear", rule.Clear) })
        {
            if (expression is not null)
            {
                var use = ExpressionUse.Of(expression.Source, captures);
                conditions.Add((key, use));
                foreach (var f in use.Fields)
                {
                    fields.TryAdd(f, new FieldSeen(JsonPath.Split(f)));
                }
            }
        }

        ReadsValue = rule.ValuePath is not null || rule.Anomaly is not null || conditions.Any(c => c.Use.ReadsValue);
    }

    public Rule Rule { get; }

    private bool ReadsValue { get; }

    public void Observe(string topic, Payload payload)
    {
        payloads++;
        topics.Add(topic);
        if (payload.Root is { ValueKind: System.Text.Json.JsonValueKind.Object } root)
        {
            foreach (var p in root.EnumerateObject())
            {
                topLevel.Add(p.Name);
            }
        }

        foreach (var f in fields.Values)
        {
            f.Note(payload.Get(f.Path!));
        }

        value.Note(Rule.ValuePath is { } path ? payload.Get(JsonPath.Split(path)) : payload.DefaultValue());
    }

    public IEnumerable<Finding> Findings(int recordedTopics)
    {
        if (payloads == 0)
        {
            yield return Finding($"topic filter '{Rule.Topic!.Source}' matched none of the {recordedTopics} recorded topics");
            yield break;
        }

        var where = $"the {payloads} recorded payloads of {(topics.Count == 1 ? topics.First() : $"{topics.Count} topics matching {Rule.Topic!.Match}")}";
        if (ReadsValue && value.Present == 0)
        {
            yield return Finding(Rule.ValuePath is { } path
                ? $"value: '{path}' never occurs in {where}{Seen()}"
                : $"value: none of {where} has a value (a number payload or a top-level 'value' field); name the field with 'value:'{Seen()}");
        }

        foreach (var (key, use) in conditions)
        {
            foreach (var name in use.Fields.Where(n => fields[n].Present == 0))
            {
                yield return Finding($"{key}: field '{name}' never occurs in {where}{Hint(name)}{Seen()}");
            }

            foreach (var name in use.ComparedWithNumber)
            {
                var seen = name == "value" ? value : fields.GetValueOrDefault(name);
                if (seen is { Present: > 0, Numbers: 0, Texts.Count: > 0 })
                {
                    yield return Finding($"{key}: compares '{name}' with a number, but its recorded values are text ({string.Join(", ", seen.Texts.Select(t => $"'{t}'"))}); compare with text in quotes, or read a numeric field");
                }
            }
        }
    }

    private Finding Finding(string message) => new(Rule.Location, Rule.Id, message);

    private string Seen() => topLevel.Count == 0 ? "" : $" (fields there: {string.Join(", ", topLevel.Take(12))}{(topLevel.Count > 12 ? ", …" : "")})";

    private string Hint(string name) => Loading.MappingReader.Suggest(name, topLevel) is { } best ? $"; did you mean '{best}'?" : "";

    /// <summary>How often a field was present, as a number, and a few of its text values.</summary>
    private sealed class FieldSeen(string[]? path)
    {
        public string[]? Path { get; } = path;
        public int Present { get; private set; }
        public int Numbers { get; private set; }
        public List<string> Texts { get; } = [];

        public void Note(Value v)
        {
            if (v.IsMissing || v.Kind == ValueKind.Null)
            {
                return;
            }

            Present++;
            if (v.TryNumber(out _))
            {
                Numbers++;
            }
            else if (v.Kind == ValueKind.Text && Texts.Count < Examples && !Texts.Contains(v.Text!))
            {
                Texts.Add(v.Text!);
            }
        }
    }
}
