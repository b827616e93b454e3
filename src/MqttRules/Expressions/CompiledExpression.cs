using MqttRules.Values;

namespace MqttRules.Expressions;

public delegate Value Evaluator(EvalContext context);

/// <summary>An expression parsed and compiled once at load time.</summary>
public sealed class CompiledExpression(string source, Evaluator evaluator)
{
    public string Source { get; } = source;

    /// <summary>The compiled delegate, for callers that keep it next to their own hot data.</summary>
    public Evaluator Evaluator { get; } = evaluator;

    public Value Evaluate(EvalContext context) => Evaluator(context);

    /// <summary>True or false for a condition; null when it cannot be decided for this message.</summary>
    public bool? EvaluateCondition(EvalContext context) => AsCondition(Evaluator(context));

    /// <summary>A value read as a condition: true or false, or null when it is not a boolean.</summary>
    public static bool? AsCondition(Value v) => v.Kind == ValueKind.Bool ? v.IsTrue : null;

    public override string ToString() => Source;
}
