namespace MqttRules.Expressions;

public delegate Value Evaluator(EvalContext context);

/// <summary>An expression parsed and compiled once at load time.</summary>
public sealed class CompiledExpression(string source, Evaluator evaluator)
{
    public string Source { get; } = source;

    public Value Evaluate(EvalContext context) => evaluator(context);

    /// <summary>True or false for a condition; null when it cannot be decided for this message.</summary>
    public bool? EvaluateCondition(EvalContext context)
    {
        var v = evaluator(context);
        return v.Kind == ValueKind.Bool ? v.IsTrue : null;
    }

    public override string ToString() => Source;
}
