using MqttRules.Expressions;
using MqttRules.Tests.Support;
using MqttRules.Values;

namespace MqttRules.Tests.Expressions;

/// <summary>The expression language of <c>when</c>, <c>clear</c> and templates: NCalc's grammar with our functions (SPEC §3, §5).</summary>
public class ExpressionGrammarTests
{
    [Theory]
    [InlineData("1 + 2", "3")]
    [InlineData("7 / 2", "3.5")]
    [InlineData("7 % 4", "3")]
    [InlineData("2 * (3 + 4)", "14")]
    [InlineData("-3 + 1", "-2")]
    [InlineData("1 < 2", "true")]
    [InlineData("2 <= 2", "true")]
    [InlineData("1 = 1", "true")]
    [InlineData("1 == 1", "true")]
    [InlineData("1 != 2", "true")]
    [InlineData("1 <> 1", "false")]
    [InlineData("true and false", "false")]
    [InlineData("true && true", "true")]
    [InlineData("false or true", "true")]
    [InlineData("false || false", "false")]
    [InlineData("not false", "true")]
    [InlineData("!true", "false")]
    [InlineData("1 > 2 ? 'a' : 'b'", "b")]
    [InlineData("'ab' + 'cd'", "abcd")]
    [InlineData("'ON' == 'ON'", "true")]
    [InlineData("'a' < 'b'", "true")]
    [InlineData("3 in (1, 2, 3)", "true")]
    [InlineData("4 not in (1, 2, 3)", "true")]
    [InlineData("'ab' in ('ab', 'cd')", "true")]
    [InlineData("'Kitchen' like 'kit%'", "true")]
    [InlineData("0.1 + 0.2 > 0.3", "true")]
    public void Evaluate_Operators_AsNCalc(string expression, string expected)
    {
        Assert.Equal(expected, Expr.Show(Expr.Eval(expression)));
    }

    [Theory]
    [InlineData("Abs(-2)", "2")]
    [InlineData("abs(-2)", "2")]
    [InlineData("ABS(-2)", "2")]
    [InlineData("Sqrt(16)", "4")]
    [InlineData("Pow(2, 10)", "1024")]
    [InlineData("Min(3, 2)", "2")]
    [InlineData("max(3, 2)", "3")]
    [InlineData("Ceiling(1.2)", "2")]
    [InlineData("Floor(-1.2)", "-2")]
    [InlineData("Truncate(-1.7)", "-1")]
    [InlineData("Sign(-4)", "-1")]
    [InlineData("Log10(1000)", "3")]
    [InlineData("if(1 < 2, 'yes', 'no')", "yes")]
    [InlineData("IF(1 > 2, 'yes', 'no')", "no")]
    [InlineData("ifs(false, 1, true, 2, 3)", "2")]
    [InlineData("ifs(false, 1, false, 2, 3)", "3")]
    public void Evaluate_NCalcBuiltIns_AvailableCaseInsensitively(string expression, string expected)
    {
        Assert.Equal(expected, Expr.Show(Expr.Eval(expression)));
    }

    [Theory]
    [InlineData("round(2.5)", "3")]
    [InlineData("round(3.5)", "4")]
    [InlineData("round(-2.5)", "-3")]
    [InlineData("round(2.4)", "2")]
    [InlineData("Round(2.5)", "3")]
    [InlineData("ROUND(-0.5)", "-1")]
    [InlineData("Round(0.125, 2)", "0.13")]
    [InlineData("round(-0.125, 2)", "-0.13")]
    [InlineData("round(12.345678, 1)", "12.3")]
    [InlineData("round(20.04, 1)", "20")]
    [InlineData("round((68 - 32) / 1.8, 2)", "20")]
    [InlineData("round((69 - 32) / 1.8, 2)", "20.56")]
    [InlineData("round(1234.5, 0)", "1235")]
    [InlineData("round(20.45, 1)", "20.5")]
    [InlineData("round(2.675, 2)", "2.68")]
    [InlineData("round(1.005, 2)", "1.01")]
    [InlineData("round(-2.675, 2)", "-2.68")]
    [InlineData("round(0.1 + 0.2, 2)", "0.3")]
    [InlineData("round(123456789.125, 2)", "123456789.13")]
    [InlineData("round(1e20, 2)", "1E+20")]
    public void Round_HalfAwayFromZero_IncludingNCalcSpelling(string expression, string expected)
    {
        Assert.Equal(expected, Expr.Show(Expr.Eval(expression)));
    }

    [Theory]
    [InlineData("format(20, '0.00')", "20.00")]
    [InlineData("format(3.14159, '0.0')", "3.1")]
    [InlineData("format(1234.5, '#,##0.0')", "1,234.5")]
    [InlineData("FORMAT(0.5, '0%')", "50%")]
    [InlineData("format(7, '000')", "007")]
    [InlineData("format(20.45, '0.0')", "20.5")]
    [InlineData("format(2.675, '0.00')", "2.68")]
    [InlineData("format(-2.5, '0')", "-3")]
    public void Format_NumberFormat_InvariantCulture(string expression, string expected)
    {
        Assert.Equal(expected, Expr.Show(Expr.Eval(expression)));
    }

    [Theory]
    [InlineData(0, "sensors")]
    [InlineData(1, "kitchen")]
    [InlineData(2, "temp_f")]
    public void TopicLevel_ZeroBased_ReturnsThatLevel(int level, string expected)
    {
        Assert.Equal(expected, Expr.Show(Expr.Eval($"topic_level({level})", "68", topic: "sensors/kitchen/temp_f")));
    }

    [Theory]
    [InlineData("topic_level(-1)")]
    [InlineData("topic_level(1e10)")]
    [InlineData("topic_level(-1e10)")]
    [InlineData("topic_level('x')")]
    public void TopicLevel_IndexOutOfRange_Missing(string expression)
    {
        Assert.True(Expr.Eval(expression, "68", topic: "sensors/kitchen/temp_f").IsMissing);
    }

    [Fact]
    public void TopicLevel_PastTheEnd_Missing()
    {
        Assert.True(Expr.Eval("topic_level(3)", "68", topic: "sensors/kitchen/temp_f").IsMissing);
    }

    [Fact]
    public void TopicLevel_EmptyLevel_EmptyText()
    {
        Assert.Equal("", Expr.Show(Expr.Eval("Topic_Level(1)", "1", topic: "a//c")));
    }

    [Theory]
    [InlineData("22:00", "06:00", 23, 0, true)]
    [InlineData("22:00", "06:00", 22, 0, true)]
    [InlineData("22:00", "06:00", 5, 59, true)]
    [InlineData("22:00", "06:00", 6, 0, false)]
    [InlineData("22:00", "06:00", 12, 0, false)]
    [InlineData("09:00", "17:00", 9, 0, true)]
    [InlineData("09:00", "17:00", 16, 59, true)]
    [InlineData("09:00", "17:00", 17, 0, false)]
    [InlineData("09:00", "17:00", 8, 59, false)]
    [InlineData("08:00", "08:00", 8, 0, false)]
    [InlineData("08:00", "08:00", 12, 0, false)]
    [InlineData("0:00", "23:59", 0, 0, true)]
    public void Between_IncludesStartExcludesEndWrapsMidnight(string from, string to, int hour, int minute, bool expected)
    {
        var now = new DateTimeOffset(2026, 1, 1, hour, minute, 0, TimeSpan.Zero);
        Assert.Equal(Value.Of(expected), Expr.Eval($"between('{from}', '{to}')", now: now));
    }

    [Fact]
    public void Between_RuleTimeZone_UsesLocalTime()
    {
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        var summerEvening = new DateTimeOffset(2026, 7, 1, 21, 30, 0, TimeSpan.Zero);
        Assert.Equal(Value.True, Expr.Eval("between('22:00', '23:00')", now: summerEvening, zone: london));
        Assert.Equal(Value.False, Expr.Eval("between('22:00', '23:00')", now: summerEvening));
    }

    [Fact]
    public void Hour_RuleTimeZone_LocalHour()
    {
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        Assert.Equal("12", Expr.Show(Expr.Eval("hour()")));
        Assert.Equal("21", Expr.Show(Expr.Eval("HOUR()", zone: tokyo)));
    }

    [Theory]
    [InlineData(2026, 1, 1, 4)]
    [InlineData(2026, 1, 4, 7)]
    [InlineData(2026, 1, 5, 1)]
    [InlineData(2026, 1, 10, 6)]
    public void Weekday_Iso_MondayIsOneSundayIsSeven(int year, int month, int day, int expected)
    {
        var now = new DateTimeOffset(year, month, day, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(Value.Of(expected), Expr.Eval("weekday()", now: now));
    }

    [Fact]
    public void Weekday_TimeZoneAcrossMidnight_LocalDay()
    {
        var sundayLateUtc = new DateTimeOffset(2026, 1, 4, 23, 30, 0, TimeSpan.Zero);
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        Assert.Equal(Value.Of(1), Expr.Eval("weekday()", now: sundayLateUtc, zone: berlin));
    }

    [Theory]
    [InlineData("value > 20", "{\"value\": 25}", "true")]
    [InlineData("value > 20", "25", "true")]
    [InlineData("value > 20", "{\"value\": \"30\"}", "true")]
    [InlineData("temp > 20", "{\"temp\": 21.5}", "true")]
    [InlineData("[flow.lpm] * 2", "{\"flow\": {\"lpm\": 12.5}}", "25")]
    [InlineData("[readings.1]", "{\"readings\": [1, 2, 3]}", "2")]
    [InlineData("state == 'ON'", "{\"state\": \"ON\"}", "true")]
    [InlineData("ok", "{\"ok\": true}", "true")]
    [InlineData("payload", "hello world", "hello world")]
    [InlineData("payload == 'ON'", "ON", "true")]
    [InlineData("topic", "1", "a/b")]
    public void Evaluate_MessageVariables_FromThePayload(string expression, string payload, string expected)
    {
        Assert.Equal(expected, Expr.Show(Expr.Eval(expression, payload)));
    }

    [Theory]
    [InlineData("value > 20", "{\"temp\": 25}")]
    [InlineData("value > 20", "{\"value\": \"warm\"}")]
    [InlineData("value > 20", "{\"value\": true}")]
    [InlineData("value > 20", "{\"value\": [1]}")]
    [InlineData("value > 20", "warm")]
    [InlineData("temp > 20", "25")]
    [InlineData("[flow.lpm] > 1", "{\"flow\": 3}")]
    [InlineData("value * 2", "{\"value\": {\"x\": 1}}")]
    [InlineData("value > 20 and true", "{}")]
    [InlineData("round(value, 1)", "{}")]
    public void Evaluate_MissingOrWrongType_MissingNotAnException(string expression, string payload)
    {
        Assert.True(Expr.Eval(expression, payload).IsMissing);
    }

    [Fact]
    public void Evaluate_Capture_ReadsTheLevel()
    {
        var captures = new[] { new TopicCapture("meter", 1) };
        Assert.Equal("main", Expr.Show(Expr.Eval("meter", "1", topic: "home/main/water", captures: captures, captureValues: ["main"])));
    }

    [Fact]
    public void Evaluate_Now_IsoUtcWithMilliseconds()
    {
        Assert.Equal("2026-01-01T12:00:00.000Z", Expr.Show(Expr.Eval("now")));
    }

    [Theory]
    [InlineData("value >")]
    [InlineData("(1 + 2")]
    [InlineData("1 +* 2")]
    [InlineData("'unclosed")]
    [InlineData("")]
    [InlineData("   ")]
    public void Compile_SyntaxError_ExpressionException(string expression)
    {
        Assert.Throws<ExpressionException>(() => ExpressionCompiler.Compile(expression, new CompileScope()));
    }

    [Theory]
    [InlineData("nosuch(1)", "unknown function 'nosuch'")]
    [InlineData("round()", "round() takes")]
    [InlineData("round(1, 2, 3)", "round() takes")]
    [InlineData("topic_level()", "topic_level() takes")]
    [InlineData("between('22:00')", "between() takes")]
    [InlineData("between('25:00', '06:00')", "is not a time of day")]
    [InlineData("avg('a/b', 'x', 'forever')", "is not a duration")]
    [InlineData("hour(1)", "hour() takes no arguments")]
    [InlineData("z > 3", "refers to nothing")]
    public void Compile_BadCall_ExplainsTheProblem(string expression, string fragment)
    {
        var ex = Assert.Throws<ExpressionException>(() => ExpressionCompiler.Compile(expression, new CompileScope()));
        Assert.Contains(fragment, ex.Message);
    }

    [Fact]
    public void Compile_SyntaxError_OffsetInsideTheSource()
    {
        var ex = Assert.Throws<ExpressionException>(() => ExpressionCompiler.Compile("value > 1 and (", new CompileScope()));
        Assert.InRange(ex.Offset, 0, "value > 1 and (".Length - 1);
    }

    [Theory]
    [InlineData("avg('home/main/water', 'flow.lpm', '24h')")]
    [InlineData("MAX('home/main/water', 'flow.lpm', '1h')")]
    [InlineData("min('home/main/water', 'flow.lpm', '30m')")]
    [InlineData("sum('home/main/water', 'flow.lpm', '7d')")]
    [InlineData("count('home/main/water', 'flow.lpm', '1w')")]
    [InlineData("last('home/main/water', 'flow.lpm')")]
    public void Compile_HistoryFunction_RegistersTheTopicAndPath(string expression)
    {
        var scope = new CompileScope();
        ExpressionCompiler.Compile(expression, scope);
        var key = Assert.Single(scope.HistoryKeys);
        Assert.Equal(("home/main/water", "flow.lpm"), (key.Topic, key.Path));
    }

    [Fact]
    public void Compile_TwoArgumentMinMax_AreNCalcsNotAggregates()
    {
        var scope = new CompileScope();
        ExpressionCompiler.Compile("max(1, 2) + min(3, 4)", scope);
        Assert.Empty(scope.HistoryKeys);
    }

    [Fact]
    public void Compile_HistoryFunctionWithComputedTopic_ExplainsLiteral()
    {
        var ex = Assert.Throws<ExpressionException>(() => ExpressionCompiler.Compile("last(topic)", new CompileScope()));
        Assert.Contains("string literal", ex.Message);
    }
}
