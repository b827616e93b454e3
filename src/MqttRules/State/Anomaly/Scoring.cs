namespace MqttRules.State.Anomaly;

/// <summary>Turns a value and baseline statistics into a z-score (SPEC §5 "Anomalies").</summary>
internal static class Scoring
{
    /// <summary>
    /// Population z-score. <paramref name="minStddev"/> floors the standard deviation; with a zero
    /// standard deviation a value equal to the mean scores 0 and any other value ±infinity.
    /// Ready only once <paramref name="minSamples"/> values are in the baseline.
    /// </summary>
    public static AnomalyScore Score(double value, in RunningStats stats, double minStddev, int minSamples)
    {
        if (stats.Count == 0)
        {
            return new AnomalyScore(0, 0, Math.Max(0, minStddev), false);
        }

        var sd = Math.Max(Math.Sqrt(stats.Variance), minStddev);
        return new AnomalyScore(Z(value - stats.Mean, sd), stats.Mean, sd, stats.Count >= minSamples);
    }

    /// <summary>A deviation in standard deviations; ±infinity for any deviation from a zero spread.</summary>
    public static double Z(double deviation, double stddev) =>
        stddev > 0 ? deviation / stddev
        : deviation == 0 ? 0
        : deviation > 0 ? double.PositiveInfinity : double.NegativeInfinity;
}
