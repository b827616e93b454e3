using MqttRules.Actions.Publish;
using MqttRules.Rules;

namespace MqttRules.Engine;

/// <summary>
/// A publish that waits for its confirmation: the message sent (re-sent as it is on a retry), the
/// topic rendered for the confirmation, how many times it was sent and when the current wait ends.
/// </summary>
internal sealed class PendingConfirmation
{
    public required RuleRuntime Rule { get; set; }
    public required ConfirmSpec Spec { get; set; }

    /// <summary>Where the publish is in the rule: <c>actions</c> or <c>on_resolve</c>, and its position there (to find it again after a restart or reload).</summary>
    public required string List { get; init; }
    public required int Index { get; init; }
    public required PublishAction Publish { get; init; }

    /// <summary>The confirmation topic, rendered with the rule's variables.</summary>
    public required string Topic { get; init; }

    /// <summary>The rule's topic captures when the publish was rendered (the confirmation's <c>when</c> sees them).</summary>
    public string?[] Captures { get; init; } = [];

    /// <summary>Times the publish was sent: 1, then one more per retry.</summary>
    public int Attempts { get; set; } = 1;
    public DateTimeOffset Due { get; set; }

    /// <summary>Changes whenever <see cref="Due"/> does or the confirmation ends, so an old queue entry is known stale.</summary>
    public long Version { get; set; }

    public string RuleId => Rule.Rule.Id;
    public string? Series => Publish.Series;

    /// <summary>One pending confirmation per rule, series and publish topic: a new command to the same device replaces the older one.</summary>
    public (string Rule, string Series, string Topic) Key => (RuleId, Series ?? "", Publish.Topic);

    public bool RetriesLeft => Attempts <= Spec.Retries;

    /// <summary>The <c>confirm:</c> of the publish at <paramref name="list"/>[<paramref name="index"/>] of <paramref name="rule"/>, or null.</summary>
    public static ConfirmSpec? SpecAt(Rule rule, string list, int index)
    {
        var actions = list == "on_resolve" ? rule.OnResolve : rule.Actions;
        return index < actions.Count && actions[index] is PublishSpec { Confirm: { } c } ? c : null;
    }
}
