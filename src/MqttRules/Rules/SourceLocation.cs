namespace MqttRules.Rules;

/// <summary>A position in a rule file, 1-based, for messages of the form FILE:LINE:COL.</summary>
public readonly record struct SourceLocation(string File, long Line, long Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
