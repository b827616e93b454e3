using MqttRules.Actions.Publish;
using MqttRules.Expressions;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Performance;

/// <summary>
/// Rules in one file with the same condition text and the same compile scope share one compiled
/// tree (a hot path optimisation for large rule sets). These pin that sharing never changes what
/// a rule means: the scope decides, errors are reported per rule, history keys are still kept.
/// </summary>
public class SharedCompilationTests
{
    [Fact]
    public void Load_SameConditionAndScope_OneCompiledExpression()
    {
        var rules = Yaml.Rules("""
            rules:
              - { id: a, topic: home/m1/water, when: lpm > 30, actions: [ { publish: { topic: x/a, payload: "{{lpm}} l/min" } } ] }
              - { id: b, topic: home/m2/water, when: lpm > 30, actions: [ { publish: { topic: x/b, payload: "{{lpm}} l/min" } } ] }
              - { id: c, topic: home/m3/water, when: lpm > 31, actions: [ { log: hi } ] }
            """).Rules;

        Assert.Same(rules[0].When, rules[1].When);
        Assert.NotSame(rules[0].When, rules[2].When);
        Assert.Equal("lpm > 31", rules[2].When!.Source);
    }

    [Fact]
    public void Process_SameConditionDifferentCaptureOrder_EachRuleReadsItsOwnCapture()
    {
        const string yaml = """
            rules:
              - { id: a, topic: "home/{room}/{meter}", when: "meter == 'k'", actions: [ { publish: { topic: out/a, payload: "{{meter}}" } } ] }
              - { id: b, topic: "site/{meter}/{room}", when: "meter == 'k'", actions: [ { publish: { topic: out/b, payload: "{{meter}}" } } ] }
            """;
        var rules = Yaml.Rules(yaml).Rules;
        Assert.NotSame(rules[0].When, rules[1].When);
        var h = new EngineHarness(yaml);

        h.Send("home/kitchen/k", "1");
        h.Send("site/k/kitchen", "1");
        h.Send("site/kitchen/k", "1");

        Assert.Equal(["out/a", "out/b"], h.Actions.Select(a => a.As<PublishAction>().Topic));
        Assert.All(h.Actions, a => Assert.Equal("k", a.PayloadText()));
    }

    [Fact]
    public void Load_SameConditionInScheduledRule_StillRefersToNothing()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: lux < 50
                actions: [ { log: hi } ]
              - id: b
                schedule: "30 18 * * *"
                when: lux < 50
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "8:11", "'lux' refers to nothing");
    }

    [Fact]
    public void Load_ZAfterAnAnomalyRuleWithTheSameText_StillRefersToNothing()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                anomaly: { method: zscore }
                actions: [ { log: "z={{z}}" } ]
              - id: b
                topic: a/c
                when: value > 1
                actions: [ { log: "z={{z}}" } ]
            """;
        Yaml.SingleProblem(yaml, "9:28", "'z' refers to nothing: it is set only in rules with 'anomaly:'");
    }

    [Fact]
    public void Load_SameBrokenConditionTwice_ReportedForEachRule()
    {
        var problems = Yaml.Problems("""
            rules:
              - { id: a, topic: a/b, when: "value >", actions: [ { log: hi } ] }
              - { id: b, topic: a/c, when: "value >", actions: [ { log: hi } ] }
            """);

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("rules.yaml:2:", problems[0]);
        Assert.StartsWith("rules.yaml:3:", problems[1]);
    }

    [Fact]
    public void Load_SharedHistoryCondition_HistoryKeyKept()
    {
        var set = Yaml.Rules("""
            rules:
              - { id: a, topic: a/b, when: "last('home/t', 'v') > 3", actions: [ { log: hi } ] }
              - { id: b, topic: a/c, when: "last('home/t', 'v') > 3", actions: [ { log: hi } ] }
            """);

        Assert.Same(set.Rules[0].When, set.Rules[1].When);
        var key = Assert.Single(set.HistoryKeys);
        Assert.Equal(("home/t", "v"), (key.Topic, key.Path));
    }

    [Fact]
    public void Compile_SameFieldInTwoExpressions_OneFieldReader()
    {
        var a = ExpressionCompiler.Compile("lpm_shared_reader", new CompileScope());
        var b = ExpressionCompiler.Compile("lpm_shared_reader", new CompileScope());

        Assert.NotSame(a, b);
        Assert.Same(a.Evaluator, b.Evaluator);
    }

    /// <summary>A comparison with a constant number takes a fast path; every kind of left operand must give what the general path gives.</summary>
    [Theory]
    [InlineData("{\"x\": 31}", "x > 30", "true")]
    [InlineData("{\"x\": 30}", "x > 30", "false")]
    [InlineData("{\"x\": 30}", "x >= 30", "true")]
    [InlineData("{\"x\": 30}", "x < 30", "false")]
    [InlineData("{\"x\": 30}", "x <= 30", "true")]
    [InlineData("{\"x\": -0.0}", "x >= 0", "true")]
    [InlineData("{\"x\": \"31\"}", "x > 30", "true")]
    [InlineData("{\"x\": \" 31 \"}", "x > 30", "true")]
    [InlineData("{\"x\": \"abc\"}", "x > 30", "MISSING")]
    [InlineData("{\"x\": \"NaN\"}", "x > 30", "false")]
    [InlineData("{\"x\": \"NaN\"}", "x < 30", "false")]
    [InlineData("{\"x\": null}", "x > 30", "false")]
    [InlineData("{\"x\": null}", "x < 30", "false")]
    [InlineData("{\"x\": true}", "x > 0", "MISSING")]
    [InlineData("{\"y\": 1}", "x > 30", "MISSING")]
    [InlineData("{\"x\": 31}", "x > '30'", "true")]
    [InlineData("{\"x\": \"b\"}", "x > 'a'", "true")]
    [InlineData("{\"x\": 5}", "x > -3", "true")]
    public void Evaluate_ComparisonWithConstant_AsTheGeneralPath(string payload, string expression, string expected)
    {
        Assert.Equal(expected, Expr.Show(Expr.Eval(expression, payload)));
        // the same comparison with the constant on the left goes through the general path
        var mirrored = expression.Replace("x ", "", StringComparison.Ordinal);
        var op = mirrored[..mirrored.IndexOf(' ', StringComparison.Ordinal)];
        var constant = mirrored[(op.Length + 1)..];
        var flipped = op switch { ">" => "<", ">=" => "<=", "<" => ">", _ => ">=" };
        Assert.Equal(expected, Expr.Show(Expr.Eval($"{constant} {flipped} x", payload)));
    }
}
