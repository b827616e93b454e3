using MqttRules.Rules;

namespace MqttRules.Loading;

/// <summary>One thing wrong in the rule files, printed as <c>FILE:LINE:COL: message</c>.</summary>
public sealed record Problem(SourceLocation Location, string Message)
{
    public override string ToString() => $"{Location}: {Message}";
}

/// <summary>The outcome of loading rule files: the rules, or the problems that prevent them.</summary>
public sealed record LoadResult(RuleSet Rules, IReadOnlyList<Problem> Problems, int FileCount)
{
    public bool Ok => Problems.Count == 0;

    /// <summary>Exactly <c>N rules in M files: OK</c> or <c>N problems in M files</c> (SPEC §5), never singular.</summary>
    public string Summary
    {
        get
        {
            if (Ok)
            {
                return $"{Rules.Rules.Count} rules in {FileCount} files: OK";
            }

            var files = Problems.Select(p => p.Location.File).Distinct(StringComparer.Ordinal).Count();
            return $"{Problems.Count} problems in {files} files";
        }
    }
}
