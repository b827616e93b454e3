using MqttRules.Expressions;
using MqttRules.Rules;
using MqttRules.Scheduling;
using MqttRules.Topics;

namespace MqttRules.Loading;

/// <summary>Turns one YAML rule mapping into a validated <see cref="Rule"/>.</summary>
internal sealed class RuleReader(FileContext file, NotifierTable notifiers)
{
    public static readonly string[] Keys =
    [
        "id", "description", "topic", "schedule", "timezone", "value", "when", "clear", "for", "cooldown",
        "repeat", "each_message", "anomaly", "absent", "actions", "on_resolve", "on_unconfirmed", "enabled", "flap",
    ];

    public static readonly string[] FlapKeys = ["changes", "within"];

    public static readonly string[] AnomalyKeys = ["method", "window", "half_life", "threshold", "min_samples", "min_stddev", "direction"];

    public Rule? Read(YNode node)
    {
        if (node is not YMapping map)
        {
            file.Problem(node, "a rule is a mapping with at least 'id', a trigger ('topic' or 'schedule') and 'actions'");
            return null;
        }

        var m = new MappingReader(file, map, "rule", Keys);
        var id = m.String("id", required: true, what: "rule");
        file.RuleId = id;
        if (id is not null && (id.Length == 0 || id.Any(char.IsWhiteSpace)))
        {
            file.Problem(m["id"]!, $"rule id '{id}' must be a non-empty name without spaces, such as water-high");
        }

        var topic = ReadTrigger(m, out var schedule);
        var zone = ReadZone(m);
        var anomaly = m["anomaly"] is { } a ? ReadAnomaly(a) : null;
        var scope = new CompileScope
        {
            Captures = topic?.Captures ?? [],
            HasMessage = schedule is null,
            IsAnomaly = anomaly is not null,
        };
        var confirming = Confirming(scope);
        var valuePath = m.String("value");
        if (valuePath is not null && !Payloads.JsonPath.TryParse(valuePath, out _, out var pathError, out var pathAt))
        {
            var valueNode = m["value"]!;
            file.Problem(valueNode is YScalar s ? file.Loc(s, pathAt) : file.Loc(valueNode), $"'value: {valuePath}' is not a JSON path this engine can read ({pathError}); write one such as flow.lpm, Power[0] or attributes.\"temp.c\"");
        }

        var rule = new Rule
        {
            Id = id ?? "",
            Description = m.String("description"),
            Location = file.Loc(map),
            Topic = topic,
            Schedule = schedule,
            ValuePath = valuePath,
            When = Compiling.Expression(file, m["when"], "when", scope),
            Clear = Compiling.Expression(file, m["clear"], "clear", scope),
            For = m.Duration("for"),
            Cooldown = m.Duration("cooldown"),
            Repeat = m.Duration("repeat"),
            EachMessage = m.Bool("each_message", false),
            Anomaly = anomaly,
            Absent = m.Duration("absent"),
            Enabled = m.Bool("enabled", true),
            Flap = m["flap"] is { } f ? ReadFlap(f) : null,
            TimeZone = zone,
            Actions = new ActionReader(file, notifiers) { ConfirmAllowed = true }.ReadList(m["actions"], "actions", scope),
            OnResolve = new ActionReader(file, notifiers) { ConfirmAllowed = true }.ReadList(m["on_resolve"], "on_resolve", scope),
            OnUnconfirmed = new ActionReader(file, notifiers).ReadList(m["on_unconfirmed"], "on_unconfirmed", confirming),
            Definition = RuleDefinition.Of(map, skipping: "enabled"),
            SeriesDefinition = RuleDefinition.Of(map, RuleDefinition.SeriesKeys),
        };
        RuleChecks.Check(file, m, rule);
        HistoryKeys.UnionWith(scope.HistoryKeys);
        HistoryKeys.UnionWith(confirming.HistoryKeys);
        file.RuleId = null;
        return id is null ? null : rule;
    }

    /// <summary>The scope of <c>on_unconfirmed</c>: the rule's, plus <c>attempts</c> and <c>confirm_topic</c>; its history keys are the rule's.</summary>
    private static CompileScope Confirming(CompileScope scope) =>
        new() { Captures = scope.Captures, HasMessage = scope.HasMessage, NoMessage = scope.NoMessage, IsAnomaly = scope.IsAnomaly, HasConfirmation = true };

    /// <summary>Topics and paths that history functions of the rules read so far.</summary>
    public HashSet<HistoryKey> HistoryKeys { get; } = [];

    private TopicFilter? ReadTrigger(MappingReader m, out ISchedule? schedule)
    {
        schedule = null;
        var topicText = m.String("topic");
        var cronText = m.String("schedule");
        if (topicText is not null && cronText is not null)
        {
            file.Problem(m.Key("schedule")!, "a rule has exactly one trigger: 'topic:' or 'schedule:', not both");
        }
        else if (topicText is null && cronText is null && !m.Has("topic") && !m.Has("schedule"))
        {
            file.Problem(m.Node, "a rule needs a trigger: 'topic:' (an MQTT filter) or 'schedule:' (a cron expression)");
        }

        if (cronText is not null)
        {
            schedule = CronSpec.Parse(cronText, out var error);
            if (schedule is null)
            {
                file.Problem(m["schedule"]!, error!);
            }
        }

        if (topicText is null)
        {
            return null;
        }

        var filter = TopicFilters.TryParse(topicText, out var topicError);
        if (filter is null)
        {
            file.Problem(m["topic"]!, $"invalid topic filter '{Shortened(topicText)}': {topicError}");
        }

        return filter;
    }

    /// <summary>A filter too long to quote whole in an error: its first 60 characters.</summary>
    private static string Shortened(string text)
    {
        const int keep = 60;
        if (text.Length <= keep)
        {
            return text;
        }

        var cut = char.IsHighSurrogate(text[keep - 1]) ? keep - 1 : keep;
        return $"{text[..cut]}… ({text.Length} characters)";
    }

    private TimeZoneInfo? ReadZone(MappingReader m) => ReadZone(file, m);

    /// <summary>The zone named by <c>timezone:</c>, null when absent; an unknown name is a problem.</summary>
    internal static TimeZoneInfo? ReadZone(FileContext file, MappingReader m)
    {
        var name = m.String("timezone");
        if (name is null)
        {
            return null;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone))
        {
            return zone;
        }

        file.Problem(m["timezone"]!, $"unknown time zone '{name}'; use an IANA name such as Europe/London or America/New_York");
        return null;
    }

    private FlapSpec? ReadFlap(YNode node)
    {
        if (node is not YMapping map)
        {
            file.Problem(node, "'flap' takes a mapping, such as { changes: 5, within: 10m }");
            return null;
        }

        var m = new MappingReader(file, map, "'flap'", FlapKeys);
        var count = m.Number("changes", 2, 2, 1000);
        var within = m.Duration("within");
        if (!m.Has("changes"))
        {
            file.Problem(map, "'flap' needs 'changes': how many fires and resolves within 'within' make a series flap, such as changes: 5");
        }
        else if (count != Math.Floor(count))
        {
            file.Problem(m["changes"]!, "'changes' must be a whole number, such as 5");
        }

        if (!m.Has("within"))
        {
            file.Problem(map, "'flap' needs 'within': a positive duration, such as within: 10m");
        }
        else if (within <= TimeSpan.Zero && Values.Durations.TryParse(m.String("within"), out _))
        {
            file.Problem(m["within"]!, "'within' must be a positive duration, such as 10m");
        }

        var changes = (int)count;
        return new FlapSpec(changes, within);
    }

    private AnomalySpec? ReadAnomaly(YNode node)
    {
        if (node is not YMapping map)
        {
            file.Problem(node, "'anomaly' takes a mapping, such as { method: zscore, window: 1d, threshold: 3 }");
            return null;
        }

        var m = new MappingReader(file, map, "'anomaly'", AnomalyKeys);
        var methodText = m.String("method") ?? "zscore";
        AnomalyMethod? method = methodText switch
        {
            "zscore" => AnomalyMethod.ZScore,
            "ewma" => AnomalyMethod.Ewma,
            "seasonal" => AnomalyMethod.Seasonal,
            _ => null,
        };
        if (method is null)
        {
            file.Problem(m["method"]!, $"unknown anomaly method '{methodText}'; use zscore, ewma or seasonal");
        }

        var directionText = m.String("direction") ?? "above";
        AnomalyDirection? direction = directionText switch
        {
            "above" => AnomalyDirection.Above,
            "below" => AnomalyDirection.Below,
            "both" => AnomalyDirection.Both,
            _ => null,
        };
        if (direction is null)
        {
            file.Problem(m["direction"]!, $"direction must be above, below or both, not '{directionText}'");
        }

        var spec = new AnomalySpec
        {
            Method = method ?? AnomalyMethod.ZScore,
            Window = m.Has("window") ? m.Duration("window") : method == AnomalyMethod.Seasonal ? TimeSpan.FromDays(28) : TimeSpan.FromDays(1),
            HalfLife = m.Duration("half_life"),
            Threshold = m.Number("threshold", 3, 0),
            MinSamples = (int)m.Number("min_samples", 10, 1, int.MaxValue),
            MinStddev = m.Number("min_stddev", 0, 0),
            Direction = direction ?? AnomalyDirection.Above,
        };
        if (spec.Method == AnomalyMethod.Ewma && spec.HalfLife <= TimeSpan.Zero)
        {
            file.Problem(map, "method ewma needs 'half_life', such as half_life: 1h");
        }

        if (spec.Method != AnomalyMethod.Ewma && m.Has("half_life"))
        {
            file.Problem(m.Key("half_life")!, "'half_life' applies only to method ewma");
        }

        if (spec.Window <= TimeSpan.Zero && spec.Method != AnomalyMethod.Ewma)
        {
            file.Problem(m["window"] ?? map, "'window' must be a positive duration, such as 14d");
        }

        return spec;
    }
}
