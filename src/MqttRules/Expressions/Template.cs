using System.Buffers;
using System.Text;
using MqttRules.Values;

namespace MqttRules.Expressions;

/// <summary>
/// A string with <c>{{ expression }}</c> holes, compiled once. Rendering prints values in the
/// invariant culture; a hole that cannot be evaluated prints as nothing and is reported.
/// Where a hole's value is encoded (topic, URL, header), <c>{{{ expression }}}</c> inserts it raw.
/// </summary>
internal sealed class Template
{
    private readonly string[] literals;
    private readonly CompiledExpression[] holes;
    private readonly bool[] raw;
    private byte[][]? utf8Literals;

    /// <summary>A builder per thread for <see cref="Render(EvalContext, Func{StringBuilder, string, string}?, out string?)"/>, kept while small.</summary>
    [ThreadStatic]
    private static StringBuilder? scratch;

    private const int KeepScratchBelow = 4096;

    private Template(string source, string[] literals, CompiledExpression[] holes, bool[] raw)
    {
        Source = source;
        this.literals = literals;
        this.holes = holes;
        this.raw = raw;
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

    public static Template Constant(string text) => new(text, [text], [], []);

    /// <summary>Compiles a template; an <see cref="ExpressionException"/> offset is within <paramref name="source"/>.</summary>
    public static Template Compile(string source, CompileScope scope)
    {
        var literals = new List<string>();
        var holes = new List<CompiledExpression>();
        var raw = new List<bool>();
        var pos = 0;
        while (true)
        {
            var open = source.IndexOf("{{", pos, StringComparison.Ordinal);
            if (open < 0)
            {
                literals.Add(source[pos..]);
                break;
            }

            var isRaw = string.CompareOrdinal(source, open, "{{{", 0, 3) == 0;
            var (opener, closer) = isRaw ? ("{{{", "}}}") : ("{{", "}}");
            var close = source.IndexOf(closer, open + opener.Length, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ExpressionException($"'{opener}' is not closed by '{closer}'", open);
            }

            literals.Add(source[pos..open]);
            raw.Add(isRaw);
            var inner = source[(open + opener.Length)..close];
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
                throw new ExpressionException(ex.Message, open + opener.Length + ex.Offset);
            }

            pos = close + closer.Length;
        }

        return new Template(source, [.. literals], [.. holes], [.. raw]);
    }

    /// <summary>Renders the template; <paramref name="failed"/> names the first hole that could not be evaluated.</summary>
    public string Render(EvalContext context, out string? failed) => Render(context, null, out failed);

    /// <summary>
    /// Renders with each hole's value passed through <paramref name="encode"/> (given the text rendered
    /// so far), except <c>{{{ raw }}}</c> holes.
    /// </summary>
    public string Render(EvalContext context, Func<StringBuilder, string, string>? encode, out string? failed)
    {
        failed = null;
        if (holes.Length == 0)
        {
            return literals[0];
        }

        // This thread's builder, taken while in use (a hole that renders a template gets its own).
        var sb = scratch ?? new StringBuilder(Source.Length + 16);
        scratch = null;
        sb.Clear();
        try
        {
            for (var i = 0; i < holes.Length; i++)
            {
                sb.Append(literals[i]);
                var text = Hole(i, context, ref failed).ToString();
                sb.Append(encode is null || raw[i] ? text : encode(sb, text));
            }

            sb.Append(literals[^1]);
            return sb.ToString();
        }
        finally
        {
            if (sb.Capacity <= KeepScratchBelow)
            {
                scratch = sb;
            }
        }
    }

    /// <summary>The text of a <see cref="IsConstant"/> template as UTF-8 (encoded once, shared: do not write to it).</summary>
    public ReadOnlyMemory<byte> ConstantUtf8 => IsConstant ? Utf8Literals[0] : throw new InvalidOperationException("the template has holes");

    /// <summary>
    /// Renders as UTF-8 into <paramref name="output"/>, as <see cref="Render(EvalContext, out string?)"/>
    /// would render text (without encoding holes), with no string in between.
    /// </summary>
    public void RenderUtf8(EvalContext context, IBufferWriter<byte> output, out string? failed)
    {
        failed = null;
        var encoded = Utf8Literals;
        for (var i = 0; i < holes.Length; i++)
        {
            output.Write(encoded[i]);
            Hole(i, context, ref failed).WriteUtf8(output);
        }

        output.Write(encoded[^1]);
    }

    /// <summary>The value of hole <paramref name="i"/>; a missing one is noted as the first that failed.</summary>
    private Value Hole(int i, EvalContext context, ref string? failed)
    {
        var v = holes[i].Evaluate(context);
        if (v.IsMissing)
        {
            failed ??= holes[i].Source.Trim();
            context.MissingHole ??= failed;
        }

        return v;
    }

    private byte[][] Utf8Literals => utf8Literals ??= Array.ConvertAll(literals, Encoding.UTF8.GetBytes);

    public override string ToString() => Source;
}
