namespace MqttRules.Benchmarks;

/// <summary>A clock the benchmark moves by hand: one field read per <see cref="GetUtcNow"/>.</summary>
public sealed class BenchClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    /// <summary>Moves the clock forward by <paramref name="ticks"/> (100 ns units).</summary>
    public void Advance(long ticks) => now = now.AddTicks(ticks);
}
