namespace MqttRules.Expressions;

/// <summary>A problem in an expression or template; <see cref="Offset"/> is 0-based within its source text.</summary>
internal sealed class ExpressionException(string message, int offset) : Exception(message)
{
    public int Offset { get; } = offset;
}
