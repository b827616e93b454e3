using MqttRules.Values;
using NCalc;

namespace MqttRules.Expressions;

/// <summary>
/// NCalc's operators over <see cref="Value"/>. A missing operand or a type mismatch gives
/// Missing (the rule does not match) rather than an exception.
/// </summary>
internal static class Operators
{
    public static Evaluator Binary(BinaryExpressionType type, Evaluator l, Evaluator r) => type switch
    {
        BinaryExpressionType.And => c =>
        {
            var a = l(c);
            if (a.Kind != ValueKind.Bool)
            {
                return Value.Missing;
            }

            return a.IsTrue ? AsBool(r(c)) : Value.False;
        },
        BinaryExpressionType.Or => c =>
        {
            var a = l(c);
            if (a.Kind != ValueKind.Bool)
            {
                return Value.Missing;
            }

            return a.IsTrue ? Value.True : AsBool(r(c));
        },
        BinaryExpressionType.Equal => c => Equal(l(c), r(c), negate: false),
        BinaryExpressionType.NotEqual => c => Equal(l(c), r(c), negate: true),
        BinaryExpressionType.Lesser or BinaryExpressionType.LesserOrEqual or BinaryExpressionType.Greater or BinaryExpressionType.GreaterOrEqual
            => Comparison(type, l, r),
        BinaryExpressionType.Plus => c => Plus(l(c), r(c)),
        BinaryExpressionType.Minus => c => Arithmetic(l(c), r(c), (a, b) => a - b),
        BinaryExpressionType.Times => c => Arithmetic(l(c), r(c), (a, b) => a * b),
        BinaryExpressionType.Div => c => Arithmetic(l(c), r(c), (a, b) => a / b),
        BinaryExpressionType.Modulo => c => Arithmetic(l(c), r(c), (a, b) => a % b),
        BinaryExpressionType.Exponentiation => c => Arithmetic(l(c), r(c), Math.Pow),
        BinaryExpressionType.BitwiseAnd => c => Integer(l(c), r(c), (a, b) => a & b),
        BinaryExpressionType.BitwiseOr => c => Integer(l(c), r(c), (a, b) => a | b),
        BinaryExpressionType.BitwiseXOr => c => Integer(l(c), r(c), (a, b) => a ^ b),
        BinaryExpressionType.LeftShift => c => Integer(l(c), r(c), (a, b) => a << (int)b),
        BinaryExpressionType.RightShift => c => Integer(l(c), r(c), (a, b) => a >> (int)b),
        BinaryExpressionType.In => c => In(l(c), r, negate: false, c),
        BinaryExpressionType.NotIn => c => In(l(c), r, negate: true, c),
        BinaryExpressionType.Like => Like(l, r, negate: false),
        BinaryExpressionType.NotLike => Like(l, r, negate: true),
        BinaryExpressionType.Coalesce => c =>
        {
            var a = l(c);
            return a.Kind is ValueKind.Missing or ValueKind.Null ? r(c) : a;
        },
        _ => _ => Value.Missing,
    };

    public static Evaluator Unary(UnaryExpressionType type, Evaluator e) => type switch
    {
        UnaryExpressionType.Not => c =>
        {
            var v = e(c);
            return v.Kind == ValueKind.Bool ? Value.Of(!v.IsTrue) : Value.Missing;
        },
        UnaryExpressionType.Negate => c => e(c).TryNumber(out var n) ? Value.Of(-n) : Value.Missing,
        UnaryExpressionType.Positive => c => e(c).TryNumber(out var n) ? Value.Of(n) : Value.Missing,
        UnaryExpressionType.BitwiseNot => c => e(c).TryNumber(out var n) ? Value.Of(~(long)n) : Value.Missing,
        UnaryExpressionType.Factorial => c => e(c).TryNumber(out var n) && n is >= 0 and <= 170 ? Value.Of(Factorial((int)n)) : Value.Missing,
        _ => _ => Value.Missing,
    };

    public static Evaluator Conditional(Evaluator test, Evaluator then, Evaluator otherwise) => c =>
    {
        var t = test(c);
        if (t.Kind != ValueKind.Bool)
        {
            return Value.Missing;
        }

        return t.IsTrue ? then(c) : otherwise(c);
    };

    /// <summary>A parenthesised list only has meaning on the right of <c>in</c>; elsewhere it is its last item.</summary>
    public static Evaluator List(Evaluator[] items)
    {
        var list = new ListEvaluator(items);
        return list.Evaluate;
    }

    private sealed class ListEvaluator(Evaluator[] items)
    {
        public Evaluator[] Items { get; } = items;

        public Value Evaluate(EvalContext c) => Items.Length == 0 ? Value.Null : Items[^1](c);
    }

    /// <summary>A constant operand: its value can be read without calling it (see <see cref="Comparison"/>).</summary>
    public static Evaluator Constant(Value value) => new ConstantEvaluator(value).Evaluate;

    private sealed class ConstantEvaluator(Value value)
    {
        public Value Value { get; } = value;

        public Value Evaluate(EvalContext c) => Value;
    }

    /// <summary>
    /// <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>. Against a constant number (<c>lpm &gt; 30</c>, the
    /// common case) one delegate reads the left side and compares it to a field: no call for the
    /// constant and no comparison delegate. Otherwise as <see cref="Order"/>.
    /// </summary>
    private static Evaluator Comparison(BinaryExpressionType type, Evaluator l, Evaluator r)
    {
        var op = type switch
        {
            BinaryExpressionType.Lesser => Ordering.Less,
            BinaryExpressionType.LesserOrEqual => Ordering.LessOrEqual,
            BinaryExpressionType.Greater => Ordering.Greater,
            _ => Ordering.GreaterOrEqual,
        };
        if (r.Target is ConstantEvaluator { Value.Kind: ValueKind.Number } k && !double.IsNaN(k.Value.Number))
        {
            return new ConstantComparison(l, k.Value.Number, op).Evaluate;
        }

        return c => Order(l(c), r(c), op);
    }

    private enum Ordering : byte { Less, LessOrEqual, Greater, GreaterOrEqual }

    private static bool Test(int comparison, Ordering op) => op switch
    {
        Ordering.Less => comparison < 0,
        Ordering.LessOrEqual => comparison <= 0,
        Ordering.Greater => comparison > 0,
        _ => comparison >= 0,
    };

    /// <summary><see cref="Order"/> with a constant, non-NaN number on the right.</summary>
    private sealed class ConstantComparison(Evaluator left, double right, Ordering op)
    {
        public Value Evaluate(EvalContext c)
        {
            var a = left(c);
            double x;
            if (a.Kind == ValueKind.Number)
            {
                x = a.Number;
            }
            else if (a.Kind == ValueKind.Missing)
            {
                return Value.Missing;
            }
            else if (a.Kind == ValueKind.Null)
            {
                return Value.False;
            }
            else if (!a.TryNumber(out x))
            {
                return Value.Missing;
            }

            if (double.IsNaN(x))
            {
                return Value.False;
            }

            return Value.Of(Test(x.CompareTo(right), op));
        }
    }

    private static Value AsBool(Value v) => v.Kind == ValueKind.Bool ? v : Value.Missing;

    private static Value Equal(Value a, Value b, bool negate)
    {
        if (a.IsMissing || b.IsMissing)
        {
            return Value.Missing;
        }

        return Value.Of(AreEqual(a, b) != negate);
    }

    internal static bool AreEqual(Value a, Value b)
    {
        if (a.Kind == ValueKind.Null || b.Kind == ValueKind.Null)
        {
            return a.Kind == b.Kind;
        }

        if (a.Kind == ValueKind.Number || b.Kind == ValueKind.Number)
        {
            return a.TryNumber(out var x) && b.TryNumber(out var y) && x == y;
        }

        return a.Kind == b.Kind && a.Number == b.Number && string.Equals(a.Text, b.Text, StringComparison.Ordinal);
    }

    private static Value Order(Value a, Value b, Ordering op)
    {
        if (a.IsMissing || b.IsMissing)
        {
            return Value.Missing;
        }

        if (a.Kind == ValueKind.Null || b.Kind == ValueKind.Null)
        {
            return Value.False;
        }

        if (a.Kind == ValueKind.Text && b.Kind == ValueKind.Text)
        {
            return Value.Of(Test(string.CompareOrdinal(a.Text, b.Text), op));
        }

        if (a.TryNumber(out var x) && b.TryNumber(out var y))
        {
            if (double.IsNaN(x) || double.IsNaN(y))
            {
                return Value.False;
            }

            return Value.Of(Test(x.CompareTo(y), op));
        }

        return Value.Missing;
    }

    private static Value Plus(Value a, Value b)
    {
        if (a.IsMissing || b.IsMissing)
        {
            return Value.Missing;
        }

        if (a.Kind == ValueKind.Number && b.Kind == ValueKind.Number)
        {
            return Value.Of(a.Number + b.Number);
        }

        if (a.Kind == ValueKind.Text || b.Kind == ValueKind.Text)
        {
            if (a.TryNumber(out var x) && b.TryNumber(out var y))
            {
                return Value.Of(x + y);
            }

            return Value.Of(a.ToString() + b.ToString());
        }

        return Value.Missing;
    }

    private static Value Arithmetic(Value a, Value b, Func<double, double, double> op) =>
        a.TryNumber(out var x) && b.TryNumber(out var y) ? Value.Of(op(x, y)) : Value.Missing;

    private static Value Integer(Value a, Value b, Func<long, long, long> op) =>
        a.TryNumber(out var x) && b.TryNumber(out var y) ? Value.Of(op((long)x, (long)y)) : Value.Missing;

    private static Value In(Value a, Evaluator right, bool negate, EvalContext c)
    {
        if (a.IsMissing)
        {
            return Value.Missing;
        }

        if (right.Target is ListEvaluator list)
        {
            foreach (var item in list.Items)
            {
                var v = item(c);
                if (v.IsMissing)
                {
                    return Value.Missing;
                }

                if (AreEqual(a, v))
                {
                    return Value.Of(!negate);
                }
            }

            return Value.Of(negate);
        }

        var whole = right(c);
        if (whole.IsMissing)
        {
            return Value.Missing;
        }

        var found = whole.Kind == ValueKind.Text ? whole.Text!.Contains(a.ToString(), StringComparison.Ordinal) : AreEqual(a, whole);
        return Value.Of(found != negate);
    }

    /// <summary>
    /// <c>like</c>: the pattern is compiled once and kept while it stays the same (a constant
    /// pattern: for good), and matched without backtracking (<see cref="LikePattern"/>); a match
    /// that would cost more than <see cref="LikePattern.MaxSteps"/> gives no value.
    /// </summary>
    private static Evaluator Like(Evaluator l, Evaluator r, bool negate)
    {
        LikePattern? compiled = null;
        return c =>
        {
            var a = l(c);
            var pattern = r(c);
            if (a.IsMissing || pattern.IsMissing || a.Kind == ValueKind.Null || pattern.Kind == ValueKind.Null)
            {
                return Value.Missing;
            }

            var text = pattern.ToString();
            var like = compiled;
            if (like is null || !string.Equals(like.Text, text, StringComparison.Ordinal))
            {
                like = LikePattern.Compile(text);
                compiled = like;
            }

            // Over the budget: no answer, like any value that cannot be compared (an evaluation error).
            var subject = a.ToString();
            return like.WithinBudget(subject.Length) ? Value.Of(like.IsMatch(subject) != negate) : Value.Missing;
        };
    }

    private static double Factorial(int n)
    {
        double f = 1;
        for (var i = 2; i <= n; i++)
        {
            f *= i;
        }

        return f;
    }
}
