using System.Globalization;
using MqttRules.Expressions;
using NCalc;
using NCalc.Factories;

namespace MqttRules.Checking;

/// <summary>
/// What a condition reads of a message: the payload fields it names and the fields (or
/// <c>value</c>) it compares with a number. Found on the parsed expression, without evaluating it.
/// </summary>
internal sealed class ExpressionUse
{
    /// <summary>Names that are not payload fields: the engine's own variables.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "value", "topic", "payload", "now", "duration", "z", "mean", "stddev", "message",
    };

    private ExpressionUse()
    {
    }

    /// <summary>Payload field paths, in the order written.</summary>
    public List<string> Fields { get; } = [];

    /// <summary>Fields (and <c>value</c>) compared with a number constant.</summary>
    public List<string> ComparedWithNumber { get; } = [];

    public bool ReadsValue { get; private set; }

    public static ExpressionUse Of(string source, IEnumerable<string> captures)
    {
        var use = new ExpressionUse();
        var skip = new HashSet<string>(captures, StringComparer.Ordinal);
        var tree = LogicalExpressionFactory.Create(BracketPaths.Normalize(source), null, CultureInfo.InvariantCulture);
        use.Walk(tree, skip);
        return use;
    }

    private void Walk(LogicalExpression e, HashSet<string> captures)
    {
        switch (e)
        {
            case Identifier id when id.Name == "value":
                ReadsValue = true;
                break;
            case Identifier id when !Reserved.Contains(id.Name) && !captures.Contains(id.Name) && !Fields.Contains(id.Name):
                Fields.Add(id.Name);
                break;
            case BinaryExpression b:
                NoteComparison(b);
                Walk(b.LeftExpression, captures);
                if (b.RightExpression is { } right)
                {
                    Walk(right, captures);
                }

                break;
            case UnaryExpression u:
                Walk(u.Expression, captures);
                break;
            case TernaryExpression t:
                Walk(t.LeftExpression, captures);
                Walk(t.MiddleExpression, captures);
                Walk(t.RightExpression, captures);
                break;
            case Function f:
                foreach (var p in f.Parameters)
                {
                    Walk(p, captures);
                }

                break;
            case LogicalExpressionList list:
                foreach (var item in list)
                {
                    Walk(item, captures);
                }

                break;
        }
    }

    private void NoteComparison(BinaryExpression b)
    {
        if (b.Type is not (BinaryExpressionType.Greater or BinaryExpressionType.GreaterOrEqual or BinaryExpressionType.Lesser
            or BinaryExpressionType.LesserOrEqual or BinaryExpressionType.Equal or BinaryExpressionType.NotEqual))
        {
            return;
        }

        var (name, other) = (b.LeftExpression, b.RightExpression) switch
        {
            (Identifier id, var o) => (id.Name, o),
            (var o, Identifier id) => (id.Name, o),
            _ => (null, null),
        };
        var isNumber = other is ValueExpression { Value: int or long or double or decimal or float };
        if (isNumber && name is not null && (name == "value" || !Reserved.Contains(name)) && !ComparedWithNumber.Contains(name))
        {
            ComparedWithNumber.Add(name);
        }
    }
}
