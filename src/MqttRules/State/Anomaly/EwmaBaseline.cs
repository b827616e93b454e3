using MqttRules.Rules;

namespace MqttRules.State.Anomaly;

/// <summary>
/// <c>method: ewma</c>: an exponentially weighted mean and variance whose weights halve every
/// <c>half_life</c> of time (not of samples), so a burst of messages does not wash out the past.
/// Weighted incremental update (West 1979): W ← aW + 1, mean += (x − mean)/W,
/// M2 ← aM2 + (x − mean_old)(x − mean_new), variance = M2/W, with a = 2^(−Δt/half_life).
/// </summary>
internal sealed class EwmaBaseline(AnomalySpec spec) : IBaseline
{
    private double weight;
    private double mean;
    private double m2;
    private int count;
    private long last;

    public AnomalyScore Score(double value, DateTimeOffset now)
    {
        if (count == 0)
        {
            return new AnomalyScore(0, 0, Math.Max(0, spec.MinStddev), false);
        }

        var sd = Math.Max(weight > 0 ? Math.Sqrt(Math.Max(0, m2) / weight) : 0, spec.MinStddev);
        return new AnomalyScore(Scoring.Z(value - mean, sd), mean, sd, count >= spec.MinSamples);
    }

    public void Learn(double value, DateTimeOffset now)
    {
        var t = Math.Max(last, now.UtcTicks);
        var decay = count == 0 ? 0 : Math.Pow(2, -(double)(t - last) / spec.HalfLife.Ticks);
        last = t;
        weight = (weight * decay) + 1;
        var delta = value - mean;
        mean += delta / weight;
        m2 = (m2 * decay) + (delta * (value - mean));
        if (count < int.MaxValue)
        {
            count++;
        }
    }

    public string Save() => new BaselineJson
    {
        Method = "ewma",
        WindowTicks = spec.HalfLife.Ticks,
        LastTicks = last,
        Weight = weight,
        Mean = mean,
        M2 = m2,
        Count = count,
    }.Serialize();

    public static EwmaBaseline? Load(AnomalySpec spec, BaselineJson saved)
    {
        if (saved.Method != "ewma" || saved.WindowTicks != spec.HalfLife.Ticks || saved.Count < 0)
        {
            return null;
        }

        return new EwmaBaseline(spec)
        {
            weight = saved.Weight,
            count = saved.Count,
            mean = saved.Mean,
            m2 = saved.M2,
            last = saved.LastTicks,
        };
    }
}
