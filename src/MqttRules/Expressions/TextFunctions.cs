using MqttRules.Values;
using NCalc;

namespace MqttRules.Expressions;

/// <summary>
/// Text helpers for payloads whose case varies between devices (<c>ON</c>/<c>on</c>,
/// <c>Open</c>/<c>open</c>): <c>lower(x)</c>, <c>upper(x)</c> and the case-insensitive
/// comparison <c>ieq(a, b)</c>. <c>==</c> itself stays exact (ordinal), as in NCalc.
/// </summary>
internal static class TextFunctions
{
    public static Evaluator Lower(LogicalExpression[] args, INodeCompiler c) => Map(args, c, "lower", static s => s.ToLowerInvariant());

    public static Evaluator Upper(LogicalExpression[] args, INodeCompiler c) => Map(args, c, "upper", static s => s.ToUpperInvariant());

    public static Evaluator Ieq(LogicalExpression[] args, INodeCompiler c)
    {
        if (args.Length != 2)
        {
            throw c.Error($"ieq() takes two arguments, such as ieq(state, 'on'), not {args.Length}", "ieq(");
        }

        var a = c.Compile(args[0]);
        var b = c.Compile(args[1]);
        return ctx => (a(ctx), b(ctx)) switch
        {
            ({ IsMissing: true }, _) or (_, { IsMissing: true }) => Value.Missing,
            var (x, y) => Value.Of(string.Equals(Text(x), Text(y), StringComparison.OrdinalIgnoreCase)),
        };
    }

    private static Evaluator Map(LogicalExpression[] args, INodeCompiler c, string name, Func<string, string> f)
    {
        if (args.Length != 1)
        {
            throw c.Error($"{name}() takes one argument, not {args.Length}", name + "(");
        }

        var x = c.Compile(args[0]);
        return ctx => x(ctx) is var v && v.Kind is ValueKind.Text or ValueKind.Number or ValueKind.Bool ? Value.Of(f(Text(v))) : v;
    }

    private static string Text(Value v) => v.Kind == ValueKind.Text ? v.Text! : v.ToString();
}
