using MqttRules.Expressions;
using MqttRules.Rules;

namespace MqttRules.Loading;

/// <summary>
/// The named notifiers of all files. A notifier is compiled for each rule that uses it, so its
/// templates see that rule's variables (and <c>message</c>).
/// </summary>
internal sealed class NotifierTable
{
    private readonly Dictionary<string, (FileContext File, YScalar Name, YNode Body)> notifiers = new(StringComparer.Ordinal);

    public void Add(FileContext file, YScalar name, YNode body)
    {
        if (notifiers.TryGetValue(name.Value, out var first))
        {
            file.Problem(name, $"duplicate notifier '{name.Value}' (first defined at {first.File.Loc(first.Name)})");
            return;
        }

        notifiers[name.Value] = (file, name, body);
    }

    public NotifierDefinition? Compile(string name, CompileScope ruleScope, YNode reference, FileContext referenceFile)
    {
        if (!notifiers.TryGetValue(name, out var n))
        {
            var known = notifiers.Count == 0 ? "no notifiers are defined; add them under 'notifiers:'" : $"defined: {string.Join(", ", notifiers.Keys.Order(StringComparer.Ordinal))}";
            referenceFile.Problem(reference, $"unknown notifier '{name}' ({known})");
            return null;
        }

        var scope = new CompileScope
        {
            Captures = ruleScope.Captures,
            HasMessage = ruleScope.HasMessage,
            IsAnomaly = ruleScope.IsAnomaly,
            HasNotifyMessage = true,
        };
        // A notifier's own problems are reported at the notifier, not as the using rule's.
        var ruleId = n.File.RuleId;
        n.File.RuleId = null;
        var spec = new NotifierReader(n.File, this, name).Read(n.Body, scope);
        n.File.RuleId = ruleId;
        foreach (var key in scope.HistoryKeys)
        {
            ruleScope.HistoryKeys.Add(key);
        }

        return spec;
    }

    /// <summary>Checks every notifier once on its own, so problems in unused ones are found too.</summary>
    public void CheckAll()
    {
        foreach (var (name, (file, _, body)) in notifiers)
        {
            new NotifierReader(file, this, name).Read(body, new CompileScope { HasNotifyMessage = true, IsAnomaly = true });
        }
    }
}
