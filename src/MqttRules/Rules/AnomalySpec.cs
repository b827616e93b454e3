namespace MqttRules.Rules;

public enum AnomalyMethod { ZScore, Ewma, Seasonal }

public enum AnomalyDirection { Above, Below, Both }

public sealed record AnomalySpec
{
    public AnomalyMethod Method { get; init; } = AnomalyMethod.ZScore;
    public TimeSpan Window { get; init; }
    public TimeSpan HalfLife { get; init; }
    public double Threshold { get; init; } = 3;
    public int MinSamples { get; init; } = 10;
    public double MinStddev { get; init; }
    public AnomalyDirection Direction { get; init; } = AnomalyDirection.Above;
}
