using MqttRules.Expressions;
using MqttRules.Rules;
using MqttRules.Topics;

namespace MqttRules.Loading;

/// <summary>Reads a publish's <c>confirm:</c> mapping (topic, when, within, retries).</summary>
internal static class ConfirmReader
{
    public static readonly string[] Keys = ["topic", "when", "within", "retries"];

    private const string Example = "{ topic: \"valves/{{meter}}/state\", when: \"payload == 'CLOSED'\", within: 10s, retries: 2 }";

    public static ConfirmSpec? Read(FileContext file, YScalar key, YNode body, CompileScope ruleScope)
    {
        if (body is not YMapping map)
        {
            file.Problem(body, $"'confirm' takes a mapping, such as {Example}");
            return null;
        }

        var m = new MappingReader(file, map, "'confirm'", Keys);
        var topic = Compiling.Template(file, m["topic"], "confirm topic", ruleScope);
        if (!m.Has("topic"))
        {
            file.Problem(map, $"missing 'topic' in 'confirm': the topic where the device reports its state, such as {Example}");
        }
        else if (topic.IsConstant && TopicFilters.CheckTopicName(topic.Source) is { } problem)
        {
            file.Problem(m["topic"]!, $"confirm topic: {problem}");
        }

        // The confirmation is a message of its own: its payload and fields, with the rule's captures.
        var messageScope = new CompileScope { Captures = ruleScope.Captures };
        var when = Compiling.Expression(file, m["when"], "confirm when", messageScope);
        var within = Within(file, m, map);
        var retries = m.Number("retries", 0, 0, ConfirmSpec.MaxRetries);
        if (retries != Math.Floor(retries))
        {
            file.Problem(m["retries"]!, $"'retries' must be a whole number from 0 to {ConfirmSpec.MaxRetries}");
        }

        return new ConfirmSpec(file.Loc(key), topic, ConfirmSpec.FilterOf(topic.Source), when, within, (int)retries);
    }

    private static TimeSpan Within(FileContext file, MappingReader m, YMapping map)
    {
        if (!m.Has("within"))
        {
            file.Problem(map, "missing 'within' in 'confirm': how long to wait for the confirmation, such as within: 10s");
            return TimeSpan.Zero;
        }

        var within = m.Duration("within");
        if (within <= TimeSpan.Zero && Values.Durations.TryParse(m.String("within"), out _))
        {
            file.Problem(m["within"]!, "'within' must be a positive duration, such as 10s");
        }

        return within;
    }
}
