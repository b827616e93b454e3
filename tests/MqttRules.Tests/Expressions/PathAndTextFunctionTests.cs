using MqttRules.Expressions;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Expressions;

/// <summary>Field paths inside expressions (array items, quoted keys) and case-insensitive text functions.</summary>
public class PathAndTextFunctionTests
{
    // Tasmota STATUS 10 / tele SENSOR with a multi-channel energy meter (Tasmota docs, "Energy" JSON).
    private const string Tasmota = """{"StatusSNS":{"Time":"2024-01-01T12:00:00","ENERGY":{"Total":3.185,"Power":[12,0],"Voltage":230}}}""";

    [Theory]
    [InlineData("[StatusSNS.ENERGY.Power[0]]", "12")]
    [InlineData("[StatusSNS.ENERGY.Power.0]", "12")]
    [InlineData("{StatusSNS.ENERGY.Power[1]}", "0")]
    [InlineData("[StatusSNS.ENERGY.Power[0]] + [StatusSNS.ENERGY.Power[1]] * 2", "12")]
    [InlineData("if([StatusSNS.ENERGY.Power[0]] > 10, 'on', 'off')", "on")]
    [InlineData("'[x[0]]' == '[x[0]]'", "true")]
    public void Eval_ArrayItemPaths_BothForms(string expression, string expected)
    {
        Assert.Equal(expected, Expr.Show(Expr.Eval(expression, Tasmota)));
    }

    [Fact]
    public void Eval_KeyWithADot_QuotedName()
    {
        Assert.Equal("21.5", Expr.Show(Expr.Eval("[attributes.\"temp.c\"]", """{"attributes":{"temp.c":21.5}}""")));
    }

    [Theory]
    [InlineData("[Power[0]")]
    [InlineData("[a.b[x]]")]
    [InlineData("[a..b]")]
    public void Compile_PathItCannotRead_Error(string expression)
    {
        var ex = Assert.Throws<ExpressionException>(() => ExpressionCompiler.Compile(expression, Expr.Scope(null)));
        Assert.Contains("field path", ex.Message);
    }

    [Theory]
    [InlineData("Power[0] > 10", 5)]
    [InlineData("flow.lpm > 10", 4)]
    public void Compile_PathWithoutBrackets_ErrorSaysToBracketIt(string expression, int offset)
    {
        var ex = Assert.Throws<ExpressionException>(() => ExpressionCompiler.Compile(expression, Expr.Scope(null)));
        Assert.Contains("[flow.lpm] or [Power[0]]", ex.Message);
        Assert.Equal(offset, ex.Offset);
    }

    [Theory]
    [InlineData("lower(state) == 'on'", """{"state":"ON"}""", "true")]
    [InlineData("upper(state)", """{"state":"On"}""", "ON")]
    [InlineData("ieq(state, 'on')", """{"state":"On"}""", "true")]
    [InlineData("ieq(state, 'off')", """{"state":"On"}""", "false")]
    [InlineData("state == 'on'", """{"state":"ON"}""", "false")]
    [InlineData("ieq(state, 'on')", """{"other":1}""", "MISSING")]
    [InlineData("lower(missing)", """{"other":1}""", "MISSING")]
    [InlineData("LOWER(true)", "{}", "true")]
    public void Eval_CaseInsensitiveText(string expression, string payload, string expected)
    {
        Assert.Equal(expected, Expr.Show(Expr.Eval(expression, payload)));
    }

    [Theory]
    [InlineData("lower()")]
    [InlineData("ieq('a')")]
    public void Compile_TextFunctionWrongArity_Error(string expression)
    {
        Assert.Throws<ExpressionException>(() => ExpressionCompiler.Compile(expression, Expr.Scope(null)));
    }
}
