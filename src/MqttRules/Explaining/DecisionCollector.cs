using MqttRules.Engine;

namespace MqttRules.Explaining;

/// <summary>Keeps every decision of every rule until taken (<c>explain</c>).</summary>
internal sealed class DecisionCollector : IDecisionObserver
{
    private readonly List<RuleDecision> decisions = [];

    public bool Wants(string ruleId) => true;

    public IReadOnlyList<string> FieldsRead(string condition, IReadOnlyList<string> captures) => ConditionFields.Of(condition, captures);

    public void Observe(RuleDecision decision) => decisions.Add(decision);

    /// <summary>The decisions since the last call, in the order they were made.</summary>
    public IReadOnlyList<RuleDecision> Take()
    {
        var taken = decisions.ToArray();
        decisions.Clear();
        return taken;
    }
}
