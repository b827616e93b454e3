using System.Text;

namespace MqttRules.Expressions;

/// <summary>
/// A string with <c>{{ expression }}</c> holes, compiled once. Rendering prints values in the
/// invariant culture; a hole that cannot be evaluated prints as nothing and is reported.
/// </summary>
public sealed class Template
{
    private readonly string[] literals;
    private readonly CompiledExpression[] holes;

    private Template(string source, string[] literals, CompiledExpression[] holes)
    {
        Source = source;
        this.literals = literals;
        this.holes = holes;
    }

    public string Source { get; }

    public bool IsConstant => holes.Length == 0;

    /// <summary>True when the template is exactly one hole with no text around it (<c>"{{value}}"</c>).</summary>
    public bool IsSingleHole => holes.Length == 1 && literals[0].Length == 0 && literals[1].Length == 0;

    /// <summary>
    /// The value of a <see cref="IsSingleHole"/> template, typed (a number stays a number);
    /// Missing when it cannot be evaluated, which is reported like a failed hole of <see cref="Render"/>.
    /// </summary>
    public Value EvaluateSingle(EvalContext context, out string? failed)
    {
        var v = holes[0].Evaluate(context);
        failed = null;
        if (v.IsMissing)
        {
            failed = holes[0].Source.Trim();
            context.MissingHole ??= failed;
        }

        return v;
    }

    public static Template Constant(string text) => new(text, [text], []);

    /// <summary>Compiles a template; an <see cref="ExpressionException"/> offset is within <paramref name="source"/>.</summary>
    public static Template Compile(string source, CompileScope scope)
    {
        var literals = new List<string>();
        var holes = new List<CompiledExpression>();
        var pos = 0;
        while (true)
        {
            var open = source.IndexOf("{{", pos, StringComparison.Ordinal);
            if (open < 0)
            {
                literals.Add(source[pos..]);
                break;
            }

            var close = source.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ExpressionException("'{{' is not closed by '}}'", open);
            }

            literals.Add(source[pos..open]);
            var inner = source[(open + 2)..close];
            if (string.IsNullOrWhiteSpace(inner))
            {
                throw new ExpressionException("empty '{{ }}': put an expression inside, such as {{value}}", open);
            }

            try
            {
                holes.Add(ExpressionCompiler.Compile(inner, scope));
            }
            catch (ExpressionException ex)
            {
                throw new ExpressionException(ex.Message, open + 2 + ex.Offset);
            }

            pos = close + 2;
        }

        return new Template(source, [.. literals], [.. holes]);
    }

    /// <summary>Renders the template; <paramref name="failed"/> names the first hole that could not be evaluated.</summary>
    public string Render(EvalContext context, out string? failed)
    {
        failed = null;
        if (holes.Length == 0)
        {
            return literals[0];
        }

        var sb = new StringBuilder(Source.Length + 16);
        for (var i = 0; i < holes.Length; i++)
        {
            sb.Append(literals[i]);
            var v = holes[i].Evaluate(context);
            if (v.IsMissing)
            {
                failed ??= holes[i].Source.Trim();
                context.MissingHole ??= failed;
            }

            sb.Append(v.ToString());
        }

        sb.Append(literals[^1]);
        return sb.ToString();
    }

    public override string ToString() => Source;
}
