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
            case Identifier id:
                Note(id.Name, captures);
                break;
            case BinaryExpression b:
                NoteComparison(b);
                WalkAll(captures, b.LeftExpression, b.RightExpression);
                break;
            case UnaryExpression u:
                Walk(u.Expression, captures);
                break;
            case TernaryExpression t:
                WalkAll(captures, t.LeftExpression, t.MiddleExpression, t.RightExpression);
                break;
            case Function f:
                WalkAll(captures, [.. f.Parameters]);
                break;
            case LogicalExpressionList list:
                WalkAll(captures, [.. list]);
                break;
        }
    }

    private void WalkAll(HashSet<string> captures, params LogicalExpression?[] children)
    {
        foreach (var child in children)
        {
            if (child is not null)
            {
                Walk(child, captures);
            }
        }
    }

    private void Note(string name, HashSet<string> captures)
    {
        if (name == "value")
        {
            ReadsValue = true;
        }
        else if (!Reserved.Contains(name) && !captures.Contains(name) && !Fields.Contains(name))
        {
            Fields.Add(name);
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
