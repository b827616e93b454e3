namespace MqttRules.Rules;

/// <summary>All rules loaded from the rule files, in file order.</summary>
public sealed record RuleSet(IReadOnlyList<Rule> Rules, int FileCount)
{
    public static RuleSet Empty { get; } = new([], 0);

    /// <summary>Topics and paths that history functions read; the engine keeps history only for these.</summary>
    public IReadOnlySet<Expressions.HistoryKey> HistoryKeys { get; init; } = new HashSet<Expressions.HistoryKey>();
}
