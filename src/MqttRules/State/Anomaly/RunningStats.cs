using System.Runtime.InteropServices;

namespace MqttRules.State.Anomaly;

/// <summary>
/// Count, mean and sum of squared deviations (Welford), mergeable (Chan et al.). A value equal to
/// the mean leaves the mean bit-for-bit unchanged, so a constant signal has exactly zero variance.
/// 16 bytes: the sum of squares is a float, which is plenty for a standard deviation.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal struct RunningStats
{
    public double Mean;
    public float M2;
    public int Count;

    public readonly double Variance => Count == 0 ? 0 : Math.Max(0, M2) / Count;

    public void Add(double x)
    {
        Count++;
        var delta = x - Mean;
        Mean += delta / Count;
        M2 = (float)(M2 + (delta * (x - Mean)));
    }

    /// <summary>Adds another set of statistics into this one.</summary>
    public void Merge(in RunningStats other)
    {
        if (other.Count == 0)
        {
            return;
        }

        if (Count == 0)
        {
            this = other;
            return;
        }

        var n = (double)Count + other.Count;
        var delta = other.Mean - Mean;
        Mean += delta * (other.Count / n);
        M2 = (float)(M2 + other.M2 + (delta * delta * Count * other.Count / n));
        Count += other.Count;
    }
}
