using System.Text;
using MqttRules.Expressions;
using MqttRules.Payloads;
using MqttRules.Values;

namespace MqttRules.Tests.Support;

/// <summary>Compiles and evaluates one expression or template against a message, as the engine would.</summary>
internal static class Expr
{
    public static readonly DateTimeOffset Thursday = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static Value Eval(string expression, string? payload = null, string topic = "a/b", DateTimeOffset? now = null, TimeZoneInfo? zone = null, IReadOnlyList<TopicCapture>? captures = null, string?[]? captureValues = null)
    {
        var compiled = ExpressionCompiler.Compile(expression, Scope(captures));
        using var parsed = payload is null ? null : Payload.TryParse(Encoding.UTF8.GetBytes(payload), out _);
        return compiled.Evaluate(Context(parsed, topic, now, zone, captureValues));
    }

    public static string Render(string template, string? payload = null, string topic = "a/b", DateTimeOffset? now = null, TimeZoneInfo? zone = null)
    {
        var compiled = Template.Compile(template, Scope(null));
        using var parsed = payload is null ? null : Payload.TryParse(Encoding.UTF8.GetBytes(payload), out _);
        return compiled.Render(Context(parsed, topic, now, zone, null), out _);
    }

    public static CompileScope Scope(IReadOnlyList<TopicCapture>? captures) => new() { Captures = captures ?? [] };

    public static EvalContext Context(Payload? payload, string topic, DateTimeOffset? now, TimeZoneInfo? zone, string?[]? captures)
    {
        var ctx = new EvalContext();
        ctx.Reset(now ?? Thursday, zone ?? TimeZoneInfo.Utc);
        ctx.Topic = topic;
        ctx.Payload = payload;
        ctx.Captures = captures ?? [];
        ctx.RuleValue = payload is null ? Value.Missing : payload.DefaultValue();
        return ctx;
    }

    /// <summary>The value as the text a template would print, or "MISSING".</summary>
    public static string Show(Value v) => v.IsMissing ? "MISSING" : v.ToString();
}
