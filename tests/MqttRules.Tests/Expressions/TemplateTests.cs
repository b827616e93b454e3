using System.Globalization;
using MqttRules.Expressions;
using MqttRules.Tests.Support;
using MqttRules.Values;

namespace MqttRules.Tests.Expressions;

/// <summary>Templates: <c>{{ expression }}</c> holes, numbers printed invariant and shortest (SPEC §5).</summary>
public class TemplateTests
{
    [Theory]
    [InlineData("{{value}}", "20", "20")]
    [InlineData("{{value}}", "20.5", "20.5")]
    [InlineData("{{value}}", "20.50", "20.5")]
    [InlineData("{{value}}", "-0.25", "-0.25")]
    [InlineData("{{value}}", "1e3", "1000")]
    [InlineData("{{value / 4}}", "10", "2.5")]
    [InlineData("{{value}}", "{\"value\": 7}", "7")]
    [InlineData("{{ value }} C", "{\"value\": -18.5}", "-18.5 C")]
    [InlineData("{{value > 1}}", "2", "true")]
    [InlineData("{{state}}", "{\"state\": \"ON\"}", "ON")]
    [InlineData("{{[a.b]}}/{{[a.c]}}", "{\"a\": {\"b\": 1, \"c\": 2}}", "1/2")]
    [InlineData("no holes", "1", "no holes")]
    [InlineData("{{round(value, 1)}} L/min", "{\"value\": 12.345}", "12.3 L/min")]
    [InlineData("{{format(value, '0.00')}}", "20", "20.00")]
    public void Render_Numbers_InvariantShortestForm(string template, string payload, string expected)
    {
        Assert.Equal(expected, Expr.Render(template, payload));
    }

    [Fact]
    public void Render_CommaDecimalCulture_StillPrintsPoint()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("20.5 / 1,234.5 / 3.1", Expr.Render("{{value}} / {{format(1234.5, '#,##0.0')}} / {{round(3.14, 1)}}", "20.5"));
            Assert.Equal(Value.True, Expr.Eval("value > 20.25", "20.5"));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            CultureInfo.CurrentUICulture = saved;
        }
    }

    [Fact]
    public void Render_MissingHole_PrintsNothingAndReportsIt()
    {
        var template = Template.Compile("x={{nope}};", new CompileScope());
        var ctx = new EvalContext();
        ctx.Reset(Expr.Thursday, TimeZoneInfo.Utc);
        Assert.Equal("x=;", template.Render(ctx, out var failed));
        Assert.Equal("nope", failed);
    }

    [Theory]
    [InlineData("{{", 0)]
    [InlineData("ab {{ value", 3)]
    [InlineData("ok {{ }}", 3)]
    [InlineData("{{ 1 + }}", 5)]
    public void Compile_BadTemplate_OffsetPointsIntoIt(string source, int offset)
    {
        var ex = Assert.Throws<ExpressionException>(() => Template.Compile(source, new CompileScope()));
        Assert.Equal(offset, ex.Offset);
    }

    [Theory]
    [InlineData(20.0, "20")]
    [InlineData(20.5, "20.5")]
    [InlineData(-0.0, "0")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e14, "100000000000000")]
    [InlineData(-3.0, "-3")]
    public void FormatNumber_Shortest(double number, string expected)
    {
        Assert.Equal(expected, Value.FormatNumber(number));
    }

    [Fact]
    public void IsConstant_NoHoles_True()
    {
        Assert.True(Template.Compile("plain", new CompileScope()).IsConstant);
        Assert.False(Template.Compile("{{1}}", new CompileScope()).IsConstant);
    }
}
