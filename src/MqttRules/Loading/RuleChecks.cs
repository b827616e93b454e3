using MqttRules.Rules;
using MqttRules.Values;

namespace MqttRules.Loading;

/// <summary>Checks that a rule's keys make sense together (SPEC §3, §5).</summary>
internal static class RuleChecks
{
    private static readonly string[] NotForEachMessage = ["for", "clear", "repeat", "on_resolve", "anomaly", "absent", "flap"];
    private static readonly string[] NotForAbsent = ["when", "clear", "for", "repeat", "anomaly", "value"];
    private static readonly string[] NotForSchedule = ["value", "clear", "for", "cooldown", "repeat", "each_message", "anomaly", "absent", "on_resolve", "flap"];

    public static void Check(FileContext file, MappingReader m, Rule rule)
    {
        if (m.Has("on_unconfirmed") && !rule.Actions.Concat(rule.OnResolve).Any(a => a is PublishSpec { Confirm: not null }))
        {
            file.Problem(m.Key("on_unconfirmed")!, "'on_unconfirmed' runs when a publish got no confirmation, but no publish of this rule has 'confirm:'; add confirm: { topic: ..., within: 10s } to a publish");
        }

        if (!m.Has("actions"))
        {
            file.Problem(m.Node, "a rule needs 'actions:', a list such as '- log: \"{{topic}} is {{value}}\"'");
        }

        if (m.Has("schedule") && !m.Has("topic"))
        {
            Forbid(file, m, NotForSchedule, "a scheduled rule (it applies only to rules with 'topic:')");
            return;
        }

        if (rule.EachMessage)
        {
            Forbid(file, m, NotForEachMessage, "an 'each_message: true' rule (it has no firing state)");
            return;
        }

        if (m.Has("absent"))
        {
            Forbid(file, m, NotForAbsent, "an 'absent:' rule (it fires on silence, not on values)");
            if (rule.Absent <= TimeSpan.Zero && Durations.TryParse(m.String("absent"), out _))
            {
                file.Problem(m["absent"]!, "'absent' must be a positive duration, such as 15m");
            }

            return;
        }

        if (m.Has("topic") && !m.Has("when") && !m.Has("anomaly"))
        {
            file.Problem(m.Key("topic")!, "a topic rule needs a condition: 'when:', 'anomaly:' or 'absent:' (or 'each_message: true' to act on every message)");
        }

        if (m.Has("clear") && !m.Has("when") && !m.Has("anomaly"))
        {
            file.Problem(m.Key("clear")!, "'clear' needs 'when' or 'anomaly': it says when a firing rule resolves");
        }
    }

    private static void Forbid(FileContext file, MappingReader m, string[] keys, string what)
    {
        foreach (var key in keys)
        {
            if (m.Has(key))
            {
                file.Problem(m.Key(key)!, $"'{key}' is not allowed in {what}");
            }
        }
    }
}
