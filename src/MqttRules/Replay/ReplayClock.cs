namespace MqttRules.Replay;

/// <summary>A virtual clock that replay moves forward line by line.</summary>
public sealed class ReplayClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Set(DateTimeOffset time) => now = time;
}
