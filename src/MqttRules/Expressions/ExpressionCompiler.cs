using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using MqttRules.Values;
using NCalc;
using NCalc.Factories;
using MqttRules.Payloads;

namespace MqttRules.Expressions;

/// <summary>
/// Parses an expression with NCalc and compiles its tree into delegates over <see cref="Value"/>.
/// Our own compiler gives case-insensitive functions where ours win over NCalc's built-ins
/// (<c>Round</c> is our half-away-from-zero <c>round</c>) and evaluation without allocation.
/// </summary>
internal static partial class ExpressionCompiler
{
    public static CompiledExpression Compile(string source, CompileScope scope)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            throw new ExpressionException("the expression is empty", 0);
        }

        LogicalExpression tree;
        try
        {
            tree = LogicalExpressionFactory.Create(BracketPaths.Normalize(source), null, CultureInfo.InvariantCulture);
        }
        catch (Exception ex)
        {
            throw ParseError(source, ex);
        }

        if (!ExpressionDepth.IsWithinLimit(tree))
        {
            throw new ExpressionException($"the expression nests more than {ExpressionDepth.Max} operations deep; split it over variables or simpler conditions", 0);
        }

        var compiler = new Compiler(source, scope);
        return new CompiledExpression(source, compiler.Compile(tree));
    }

    private static ExpressionException ParseError(string source, Exception ex)
    {
        var message = (ex.InnerException ?? ex).Message;
        var m = PositionRegex().Match(message);
        var offset = 0;
        if (m.Success)
        {
            var line = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var col = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            offset = OffsetOf(source, line, col);
            message = message[..m.Index].TrimEnd(' ', '.');
        }

        var shown = source.Length <= 200 ? source : source[..200] + "…";
        return new ExpressionException($"invalid expression '{shown}': {message.TrimEnd('.')}{PathHint(source, offset)}", offset);
    }

    /// <summary>Advice when the parser stopped at a '.' or '[' right after a name: a field path written without brackets.</summary>
    private static string PathHint(string source, int offset) =>
        offset > 0 && offset < source.Length && source[offset] is '.' or '[' && (char.IsLetterOrDigit(source[offset - 1]) || source[offset - 1] == '_')
            ? "; write a nested field or an array item in brackets, such as [flow.lpm] or [Power[0]]"
            : "";

    private static int OffsetOf(string source, int line, int col)
    {
        var offset = 0;
        for (var l = 1; l < line && offset < source.Length; l++)
        {
            var nl = source.IndexOf('\n', offset);
            offset = nl < 0 ? source.Length : nl + 1;
        }

        return Math.Clamp(offset + col - 1, 0, Math.Max(0, source.Length - 1));
    }

    [GeneratedRegex(@"at position \((\d+):(\d+)\)")]
    private static partial Regex PositionRegex();

    private static readonly ConcurrentDictionary<string, Evaluator> FieldReaders = new(StringComparer.Ordinal);

    private sealed class Compiler(string source, CompileScope scope) : INodeCompiler
    {
        public Evaluator Compile(LogicalExpression e) => e switch
        {
            ValueExpression v => Constant(v),
            Identifier id => CompileIdentifier(id.Name),
            BinaryExpression b => Operators.Binary(b.Type, Compile(b.LeftExpression), CompileRight(b)),
            UnaryExpression u => Operators.Unary(u.Type, Compile(u.Expression)),
            TernaryExpression t => Operators.Conditional(Compile(t.LeftExpression), Compile(t.MiddleExpression), Compile(t.RightExpression)),
            Function f => Functions.Compile(f.Identifier.Name, f.Parameters.ToArray(), this),
            LogicalExpressionList list => Operators.List(list.Select(Compile).ToArray()),
            _ => throw Error($"unsupported expression '{e}'", e.ToString()),
        };

        public ExpressionException Error(string message, string? near)
        {
            var at = near is null ? -1 : source.IndexOf(near, StringComparison.OrdinalIgnoreCase);
            return new ExpressionException(message, Math.Max(0, at));
        }

        public CompileScope Scope => scope;

        private Evaluator CompileRight(BinaryExpression b) => b.RightExpression is null ? (_ => Value.Missing) : Compile(b.RightExpression);

        private static Evaluator Constant(ValueExpression v)
        {
            var value = v.Value switch
            {
                null => Value.Null,
                bool b => Value.Of(b),
                string s => Value.Of(s),
                char c => Value.Of(c.ToString()),
                DateTime dt => Value.Of(dt.ToString("o", CultureInfo.InvariantCulture)),
                TimeSpan ts => Value.Of(ts.TotalSeconds),
                IConvertible c => Value.Of(c.ToDouble(CultureInfo.InvariantCulture)),
                var other => Value.Of(other.ToString()),
            };
            return Operators.Constant(value);
        }

        private Evaluator CompileIdentifier(string name)
        {
            switch (name)
            {
                case "value":
                    RequireMessage(name);
                    return c => c.RuleValue;
                case "topic":
                    RequireMessage(name);
                    return c => Value.Of(c.Topic);
                case "payload":
                    RequireMessage(name);
                    return c => c.Payload is null ? Value.Missing : Value.Of(c.Payload.Text);
                case "now":
                    return c => Value.Of(c.Now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                case "duration":
                    return c => Value.Of(c.Duration);
                case "z" or "mean" or "stddev":
                    if (!scope.IsAnomaly)
                    {
                        throw Error($"'{name}' refers to nothing: it is set only in rules with 'anomaly:'", name);
                    }

                    return name switch
                    {
                        "z" => c => c.Z,
                        "mean" => c => c.Mean,
                        _ => c => c.Stddev,
                    };
                case "message" when scope.HasNotifyMessage:
                    return c => Value.Of(c.NotifyMessage);
            }

            for (var i = 0; i < scope.Captures.Count; i++)
            {
                if (scope.Captures[i].Name == name)
                {
                    var index = i;
                    return c => index < c.Captures.Length ? Value.Of(c.Captures[index]) : Value.Missing;
                }
            }

            if (!scope.HasMessage)
            {
                throw Error($"'{name}' refers to nothing: {scope.NoMessage} fields (use last('topic', 'path'))", name);
            }

            if (!JsonPath.TryParse(name, out _, out var pathError, out _))
            {
                throw Error($"'{name}' is not a field path this engine can read: {pathError}", name);
            }

            return FieldReader(name);
        }

        /// <summary>
        /// One reader per distinct field path, shared by every expression that reads it, so that
        /// 10,000 rules reading <c>lpm</c> call one hot delegate, not 10,000 cold ones.
        /// </summary>
        private static Evaluator FieldReader(string name) => FieldReaders.GetOrAdd(name, static n =>
        {
            var path = JsonPath.Split(n);
            return c => c.Payload is null ? Value.Missing : c.Payload.Get(path);
        });

        private void RequireMessage(string name)
        {
            if (!scope.HasMessage)
            {
                throw Error($"'{name}' refers to nothing: {scope.NoMessage}", name);
            }
        }
    }
}
