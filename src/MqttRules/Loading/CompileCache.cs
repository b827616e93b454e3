using MqttRules.Expressions;

namespace MqttRules.Loading;

/// <summary>
/// Expressions and templates compiled once per distinct source text and compile scope within
/// one rule file. Compiled trees are immutable, so rules with the same condition (10,000 meters
/// with <c>lpm &gt; 30</c>) share one tree, which stays in the cache instead of 10,000 cold ones.
/// The history keys a compilation adds to its scope are remembered and added again on every hit.
/// </summary>
internal sealed class CompileCache
{
    private readonly Dictionary<Key, Entry> entries = [];

    public CompiledExpression Expression(string text, CompileScope scope) =>
        (CompiledExpression)GetOrCompile(text, scope, isTemplate: false);

    public Template Template(string text, CompileScope scope) =>
        (Template)GetOrCompile(text, scope, isTemplate: true);

    private object GetOrCompile(string text, CompileScope scope, bool isTemplate)
    {
        var key = new Key(text, Signature(scope), isTemplate);
        if (entries.TryGetValue(key, out var hit))
        {
            scope.HistoryKeys.UnionWith(hit.HistoryKeys);
            return hit.Compiled;
        }

        // Compile in a scope of our own to learn which history keys this text adds.
        var own = new CompileScope
        {
            Captures = scope.Captures,
            HasMessage = scope.HasMessage,
            NoMessage = scope.NoMessage,
            IsAnomaly = scope.IsAnomaly,
            HasNotifyMessage = scope.HasNotifyMessage,
        };
        try
        {
            object compiled = isTemplate
                ? Expressions.Template.Compile(text, own)
                : ExpressionCompiler.Compile(text, own);
            entries[key] = new Entry(compiled, [.. own.HistoryKeys]);
            return compiled;
        }
        finally
        {
            scope.HistoryKeys.UnionWith(own.HistoryKeys);
        }
    }

    /// <summary>Everything in a scope that compilation depends on: capture names (by position) and the flags.</summary>
    private static string Signature(CompileScope scope)
    {
        var flags = (scope.HasMessage ? "m" : "-") + (scope.IsAnomaly ? "a" : "-") + (scope.HasNotifyMessage ? "n" : "-") + (scope.HasMessage ? "" : "\0" + scope.NoMessage);
        return scope.Captures.Count == 0 ? flags : flags + "\0" + string.Join('\0', scope.Captures.Select(c => c.Name));
    }

    private readonly record struct Key(string Text, string Scope, bool IsTemplate);

    private sealed record Entry(object Compiled, HistoryKey[] HistoryKeys);
}
