using System.Globalization;
using MqttRules.Values;
using NCalc;

namespace MqttRules.Expressions;

/// <summary>
/// Every function an expression may call, by case-insensitive name: ours (SPEC §3) and NCalc's
/// built-ins. Arguments are checked at load time, so a misspelt name is a validation error.
/// </summary>
internal static class Functions
{
    private delegate Evaluator Builder(LogicalExpression[] args, INodeCompiler compiler);

    private static readonly Dictionary<string, Builder> All = new(StringComparer.OrdinalIgnoreCase)
    {
        ["round"] = Round,
        ["format"] = Format,
        ["topic_level"] = TopicLevel,
        ["hour"] = (a, c) => NoArgs(a, c, "hour", x => Value.Of(Local(x).Hour)),
        ["weekday"] = (a, c) => NoArgs(a, c, "weekday", x => Value.Of(IsoWeekday(Local(x).DayOfWeek))),
        ["between"] = Between,
        ["last"] = Last,
        ["avg"] = (a, c) => Window(a, c, Aggregate.Avg),
        ["sum"] = (a, c) => Window(a, c, Aggregate.Sum),
        ["count"] = (a, c) => Window(a, c, Aggregate.Count),
        ["min"] = (a, c) => a.Length == 3 ? Window(a, c, Aggregate.Min) : Math2(a, c, "min", Math.Min),
        ["max"] = (a, c) => a.Length == 3 ? Window(a, c, Aggregate.Max) : Math2(a, c, "max", Math.Max),
        ["lower"] = TextFunctions.Lower,
        ["upper"] = TextFunctions.Upper,
        ["ieq"] = TextFunctions.Ieq,
        ["if"] = If,
        ["ifs"] = Ifs,
        ["abs"] = (a, c) => Math1(a, c, "abs", Math.Abs),
        ["acos"] = (a, c) => Math1(a, c, "acos", Math.Acos),
        ["asin"] = (a, c) => Math1(a, c, "asin", Math.Asin),
        ["atan"] = (a, c) => Math1(a, c, "atan", Math.Atan),
        ["atan2"] = (a, c) => Math2(a, c, "atan2", Math.Atan2),
        ["ceiling"] = (a, c) => Math1(a, c, "ceiling", Math.Ceiling),
        ["cos"] = (a, c) => Math1(a, c, "cos", Math.Cos),
        ["exp"] = (a, c) => Math1(a, c, "exp", Math.Exp),
        ["floor"] = (a, c) => Math1(a, c, "floor", Math.Floor),
        ["ieeeremainder"] = (a, c) => Math2(a, c, "ieeeremainder", Math.IEEERemainder),
        ["ln"] = (a, c) => Math1(a, c, "ln", Math.Log),
        ["log"] = (a, c) => Math2(a, c, "log", Math.Log),
        ["log10"] = (a, c) => Math1(a, c, "log10", Math.Log10),
        ["pow"] = (a, c) => Math2(a, c, "pow", Math.Pow),
        ["sign"] = (a, c) => Math1(a, c, "sign", x => Math.Sign(x)),
        ["sin"] = (a, c) => Math1(a, c, "sin", Math.Sin),
        ["sqrt"] = (a, c) => Math1(a, c, "sqrt", Math.Sqrt),
        ["tan"] = (a, c) => Math1(a, c, "tan", Math.Tan),
        ["truncate"] = (a, c) => Math1(a, c, "truncate", Math.Truncate),
    };

    public static Evaluator Compile(string name, LogicalExpression[] args, INodeCompiler compiler)
    {
        if (!All.TryGetValue(name, out var builder))
        {
            throw compiler.Error($"unknown function '{name}' (known: {string.Join(", ", All.Keys.Order(StringComparer.Ordinal))})", name + "(");
        }

        return builder(args, compiler);
    }

    private static void Arity(LogicalExpression[] args, INodeCompiler c, string name, int min, int max, string usage)
    {
        if (args.Length < min || args.Length > max)
        {
            throw c.Error($"{name}() takes {usage}, not {args.Length} argument{(args.Length == 1 ? "" : "s")}", name + "(");
        }
    }

    private static Evaluator NoArgs(LogicalExpression[] args, INodeCompiler c, string name, Func<EvalContext, Value> f)
    {
        Arity(args, c, name, 0, 0, "no arguments");
        return ctx => f(ctx);
    }

    private static Evaluator Math1(LogicalExpression[] args, INodeCompiler c, string name, Func<double, double> f)
    {
        Arity(args, c, name, 1, 1, "one argument");
        var x = c.Compile(args[0]);
        return ctx => x(ctx).TryNumber(out var n) ? Value.Of(f(n)) : Value.Missing;
    }

    private static Evaluator Math2(LogicalExpression[] args, INodeCompiler c, string name, Func<double, double, double> f)
    {
        Arity(args, c, name, 2, 2, "two arguments");
        var x = c.Compile(args[0]);
        var y = c.Compile(args[1]);
        return ctx => x(ctx).TryNumber(out var a) && y(ctx).TryNumber(out var b) ? Value.Of(f(a, b)) : Value.Missing;
    }

    private static Evaluator Round(LogicalExpression[] args, INodeCompiler c)
    {
        Arity(args, c, "round", 1, 2, "(x) or (x, digits)");
        var x = c.Compile(args[0]);
        Evaluator digits = args.Length == 2 ? c.Compile(args[1]) : _ => Value.Of(0);
        return ctx =>
        {
            if (!x(ctx).TryNumber(out var n) || !digits(ctx).TryNumber(out var d) || d is < 0 or > 15)
            {
                return Value.Missing;
            }

            return Value.Of(RoundHalfAwayFromZero(n, (int)d));
        };
    }

    /// <summary>
    /// Rounds the number as it is written, not its binary approximation: round(20.45, 1) is 20.5,
    /// as a user reading "half away from zero" expects (20.45 is stored as 20.4499999…).
    /// </summary>
    private static double RoundHalfAwayFromZero(double n, int digits)
    {
        if (!double.IsFinite(n) || Math.Abs(n) >= 1e15)
        {
            return Math.Round(n, digits, MidpointRounding.AwayFromZero);
        }

        return (double)Math.Round((decimal)n, digits, MidpointRounding.AwayFromZero);
    }

    private static Evaluator TopicLevelIndexGuard(Evaluator index) => ctx =>
        index(ctx).TryNumber(out var n) && n is >= 0 and <= 65535 ? Value.Of(n) : Value.Missing;

    private static Evaluator Format(LogicalExpression[] args, INodeCompiler c)
    {
        Arity(args, c, "format", 2, 2, "(x, 'format')");
        var x = c.Compile(args[0]);
        var f = c.Compile(args[1]);
        return ctx =>
        {
            var v = x(ctx);
            var fmt = f(ctx);
            if (fmt.Kind != ValueKind.Text)
            {
                return Value.Missing;
            }

            try
            {
                return v.TryNumber(out var n) ? Value.Of(n.ToString(fmt.Text, CultureInfo.InvariantCulture)) : v.IsMissing ? v : Value.Of(v.ToString());
            }
            catch (FormatException)
            {
                return Value.Missing;
            }
        };
    }

    private static Evaluator TopicLevel(LogicalExpression[] args, INodeCompiler c)
    {
        Arity(args, c, "topic_level", 1, 1, "one argument, a 0-based level index");
        if (!c.Scope.HasMessage)
        {
            throw c.Error("topic_level() refers to nothing: a scheduled rule has no topic", "topic_level");
        }

        var i = TopicLevelIndexGuard(c.Compile(args[0]));
        return ctx =>
        {
            if (ctx.Topic is null || !i(ctx).TryNumber(out var n))
            {
                return Value.Missing;
            }

            var level = Level(ctx.Topic, (int)n);
            return level is null ? Value.Missing : Value.Of(level);
        };
    }

    private static string? Level(string topic, int index)
    {
        var start = 0;
        for (var i = 0; i < index; i++)
        {
            var slash = topic.IndexOf('/', start);
            if (slash < 0)
            {
                return null;
            }

            start = slash + 1;
        }

        var end = topic.IndexOf('/', start);
        return end < 0 ? topic[start..] : topic[start..end];
    }

    private static Evaluator If(LogicalExpression[] args, INodeCompiler c)
    {
        Arity(args, c, "if", 3, 3, "(condition, then, else)");
        return Operators.Conditional(c.Compile(args[0]), c.Compile(args[1]), c.Compile(args[2]));
    }

    private static Evaluator Ifs(LogicalExpression[] args, INodeCompiler c)
    {
        if (args.Length < 3 || args.Length % 2 == 0)
        {
            throw c.Error("ifs() takes (condition1, value1, ..., default): an odd number of at least 3 arguments", "ifs(");
        }

        var parts = args.Select(c.Compile).ToArray();
        return ctx =>
        {
            for (var i = 0; i + 1 < parts.Length; i += 2)
            {
                var t = parts[i](ctx);
                if (t.Kind != ValueKind.Bool)
                {
                    return Value.Missing;
                }

                if (t.IsTrue)
                {
                    return parts[i + 1](ctx);
                }
            }

            return parts[^1](ctx);
        };
    }

    private static Evaluator Between(LogicalExpression[] args, INodeCompiler c)
    {
        Arity(args, c, "between", 2, 2, "('HH:MM', 'HH:MM')");
        var from = ClockTime(args[0], c);
        var to = ClockTime(args[1], c);
        return ctx =>
        {
            var t = Local(ctx).TimeOfDay;
            if (from == to)
            {
                return Value.False;
            }

            return Value.Of(from < to ? t >= from && t < to : t >= from || t < to);
        };
    }

    private static TimeSpan ClockTime(LogicalExpression arg, INodeCompiler c)
    {
        var text = Literal(arg, c, "between() takes times of day as literals, such as '22:00'");
        if (!TimeSpan.TryParseExact(text, [@"h\:mm", @"hh\:mm", @"h\:mm\:ss", @"hh\:mm\:ss"], CultureInfo.InvariantCulture, out var t) || t >= TimeSpan.FromDays(1))
        {
            throw c.Error($"'{text}' is not a time of day; write 'HH:MM', such as '22:00'", text);
        }

        return t;
    }

    private static Evaluator Last(LogicalExpression[] args, INodeCompiler c)
    {
        Arity(args, c, "last", 1, 2, "('topic') or ('topic', 'path')");
        var topic = Literal(args[0], c, "last() takes its topic as a string literal, such as 'home/porch/lux'");
        var path = args.Length == 2 ? Path(args[1], c, "last() takes its path as a string literal") : null;
        c.Scope.HistoryKeys.Add(new HistoryKey(topic, path));
        return ctx => ctx.History.Last(topic, path);
    }

    private static Evaluator Window(LogicalExpression[] args, INodeCompiler c, Aggregate aggregate)
    {
        var name = aggregate.ToString().ToLowerInvariant();
        Arity(args, c, name, 3, 3, "('topic', 'path', 'window') such as ('home/main/water', 'lpm', '24h')");
        var topic = Literal(args[0], c, $"{name}() takes its topic as a string literal");
        var path = Path(args[1], c, $"{name}() takes its path as a string literal");
        var windowText = Literal(args[2], c, $"{name}() takes its window as a duration literal such as '24h'");
        if (!Durations.TryParse(windowText, out var window) || window <= TimeSpan.Zero)
        {
            throw c.Error($"'{windowText}' is not a duration; write one such as '30m', '24h' or '7d'", windowText);
        }

        c.Scope.HistoryKeys.Add(new HistoryKey(topic, path, window));
        return ctx => ctx.History.Aggregate(aggregate, topic, path, window, ctx.Now);
    }

    private static string Path(LogicalExpression arg, INodeCompiler c, string advice)
    {
        var path = Literal(arg, c, advice);
        return Payloads.JsonPath.TryParse(path, out _, out var error, out _) ? path : throw c.Error(error!, path);
    }

    private static string Literal(LogicalExpression arg, INodeCompiler c, string advice) =>
        arg is ValueExpression { Value: string s } ? s : throw c.Error(advice, null);

    private static DateTime Local(EvalContext ctx) => TimeZoneInfo.ConvertTime(ctx.Now, ctx.TimeZone).DateTime;

    private static int IsoWeekday(DayOfWeek d) => d == DayOfWeek.Sunday ? 7 : (int)d;
}
