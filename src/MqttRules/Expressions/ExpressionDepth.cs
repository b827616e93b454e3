using NCalc;

namespace MqttRules.Expressions;

/// <summary>
/// How deeply an expression nests, measured without recursion before anything recursive runs
/// over it: a rule with tens of thousands of chained operators (<c>1+1+…</c>, <c>----x</c>)
/// overflowed the stack while it was compiled, killing the process.
/// </summary>
internal static class ExpressionDepth
{
    /// <summary>Deepest expression tree compiled and evaluated; far beyond any real rule.</summary>
    public const int Max = 200;

    public static bool IsWithinLimit(LogicalExpression root)
    {
        var pending = new Stack<(LogicalExpression Node, int Depth)>();
        pending.Push((root, 1));
        while (pending.TryPop(out var item))
        {
            if (item.Depth > Max)
            {
                return false;
            }

            foreach (var child in Children(item.Node))
            {
                pending.Push((child, item.Depth + 1));
            }
        }

        return true;
    }

    private static IEnumerable<LogicalExpression> Children(LogicalExpression e) => e switch
    {
        BinaryExpression b => b.RightExpression is null ? [b.LeftExpression] : [b.LeftExpression, b.RightExpression],
        UnaryExpression u => [u.Expression],
        TernaryExpression t => [t.LeftExpression, t.MiddleExpression, t.RightExpression],
        Function f => f.Parameters,
        LogicalExpressionList list => list,
        _ => [],
    };
}
