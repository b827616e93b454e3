using NCalc;

namespace MqttRules.Expressions;

/// <summary>What function compilers need from the expression compiler.</summary>
internal interface INodeCompiler
{
    CompileScope Scope { get; }

    Evaluator Compile(LogicalExpression e);

    ExpressionException Error(string message, string? near);
}
