using MqttRules.Checking;

namespace MqttRules.Explaining;

/// <summary>The payload fields a condition reads (<see cref="ExpressionUse"/>), for <see cref="Engine.IDecisionObserver.FieldsRead"/>.</summary>
public static class ConditionFields
{
    public static IReadOnlyList<string> Of(string condition, IReadOnlyList<string> captures)
    {
        try
        {
            return ExpressionUse.Of(condition, captures).Fields;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return []; // the loader compiled it; a shape the walker cannot read shows no fields
        }
    }
}
