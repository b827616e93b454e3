namespace MqttRules.State;

/// <summary>How far a value is from normal, as <c>z</c>, <c>mean</c> and <c>stddev</c>.</summary>
public readonly record struct AnomalyScore(double Z, double Mean, double Stddev, bool Ready);

/// <summary>A learned baseline of one series: scored before it learns each value.</summary>
public interface IBaseline
{
    AnomalyScore Score(double value, DateTimeOffset now);

    void Learn(double value, DateTimeOffset now);

    /// <summary>The baseline as JSON, for the durable state store.</summary>
    string Save();
}
