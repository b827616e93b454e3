using System.Text;
using System.Text.RegularExpressions;
using MqttRules.Rules;
using YamlDotNet.Core;

namespace MqttRules.Loading;

/// <summary>
/// Reading one rule file: positions, <c>${NAME}</c> substitution and the problems found so far.
/// Every accessor reports what is wrong and returns a fallback, so one pass finds every problem.
/// </summary>
internal sealed partial class FileContext(string file, string text, Func<string, string?> env, List<Problem> problems)
{
    private readonly string[] lines = text.Split('\n');

    // Scalars with an unset ${NAME}: that is their one problem, so checks of their value stay quiet.
    private readonly HashSet<YScalar> unresolved = new(ReferenceEqualityComparer.Instance);

    public string File { get; } = file;

    /// <summary>The id of the rule being read, so a message about one of its expressions names it.</summary>
    public string? RuleId { get; set; }

    /// <summary><c>rule 'water-high': when</c> inside a rule, else just the key.</summary>
    public string Subject(string key) => RuleId is null ? key : $"rule '{RuleId}': {key}";

    /// <summary>Expressions and templates of this file, compiled once per text and scope.</summary>
    public CompileCache Compiled { get; } = new();

    public SourceLocation Loc(Mark mark) => new(File, mark.Line, mark.Column);

    public SourceLocation Loc(YNode node) => Loc(node.Start);

    public void Problem(YNode node, string message)
    {
        if (!IsUnresolved(node))
        {
            problems.Add(new Problem(Loc(node), InRule(message)));
        }
    }

    /// <summary>Inside a rule, a problem names it (<c>rule 'water-high': …</c>) unless it already does.</summary>
    private string InRule(string message) =>
        RuleId is { Length: > 0 } id && !message.StartsWith("rule '", StringComparison.Ordinal) ? $"rule '{id}': {message}" : message;

    /// <summary>True when the node is a scalar with an unset <c>${NAME}</c> (already reported).</summary>
    public bool IsUnresolved(YNode node) => node is YScalar s && unresolved.Contains(s);

    public void Problem(SourceLocation loc, string message) => problems.Add(new Problem(loc, InRule(message)));

    /// <summary>The position of a character inside a scalar's value, as near as YAML allows.</summary>
    public SourceLocation Loc(YScalar s, int offset)
    {
        if (s.Style is ScalarStyle.Literal or ScalarStyle.Folded)
        {
            // A block starts on the line after its indicator, at the block's indentation.
            return LocInLines(s, offset, (int)s.Start.Line, firstColumn: -1);
        }

        var quote = s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? 1 : 0;
        return LocInLines(s, offset, (int)s.Start.Line - 1, (int)s.Start.Column - 1 + quote);
    }

    /// <summary>
    /// Walks the scalar's source lines from <paramref name="firstIndex"/> (0-based): each line adds
    /// its text and one line break (a space when folded), so an offset in the value maps to a
    /// line and column even when the value spans several lines.
    /// </summary>
    private SourceLocation LocInLines(YScalar s, int offset, int firstIndex, int firstColumn)
    {
        var remaining = offset;
        for (var index = firstIndex; index < lines.Length; index++)
        {
            var line = lines[index].TrimEnd('\r', ' ', '\t');
            var onFirst = index == firstIndex && firstColumn >= 0;
            var start = onFirst ? Math.Min(firstColumn, line.Length) : line.Length - line.TrimStart(' ').Length;
            var length = line.Length - start;
            if (length == 0 && !onFirst)
            {
                remaining -= s.Style == ScalarStyle.Literal ? 1 : 0;
                continue;
            }

            if (remaining <= length)
            {
                return new SourceLocation(File, index + 1, start + Math.Max(0, remaining) + 1);
            }

            remaining -= length + 1;
        }

        return Loc(s);
    }

    /// <summary>A scalar's text with <c>${NAME}</c> and <c>${NAME:-default}</c> substituted.</summary>
    public string Text(YScalar s)
    {
        if (!s.Value.Contains("${", StringComparison.Ordinal))
        {
            return s.Value;
        }

        var sb = new StringBuilder();
        var pos = 0;
        foreach (Match m in EnvRegex().Matches(s.Value))
        {
            sb.Append(s.Value, pos, m.Index - pos);
            pos = m.Index + m.Length;
            var name = m.Groups["name"].Value;
            var value = env(name);
            if (string.IsNullOrEmpty(value))
            {
                if (m.Groups["default"].Success)
                {
                    value = m.Groups["default"].Value;
                }
                else
                {
                    problems.Add(new Problem(Loc(s, m.Index), $"environment variable {name} is not set; set it, or write ${{{name}:-default}}"));
                    unresolved.Add(s);
                    value = "";
                }
            }

            sb.Append(value);
        }

        sb.Append(s.Value, pos, s.Value.Length - pos);
        return sb.ToString();
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(:-(?<default>[^}]*))?\}")]
    private static partial Regex EnvRegex();
}
