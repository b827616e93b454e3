namespace MqttRules.Mqtt;

/// <summary>
/// The bytes of packets the embedded broker has begun and not finished receiving, across all
/// connections (<see cref="EmbeddedLimits.MaxIncompleteBytes"/>): MQTTnet holds a whole packet
/// in memory while it arrives, so many slow large packets would otherwise add up without bound.
/// </summary>
internal sealed class PacketBudget(long total)
{
    private long used;

    public long Total => total;

    public long Used => Interlocked.Read(ref used);

    /// <summary>Takes <paramref name="bytes"/> from the budget, or nothing and false when they are not left.</summary>
    public bool TryTake(long bytes)
    {
        if (Interlocked.Add(ref used, bytes) <= total)
        {
            return true;
        }

        Interlocked.Add(ref used, -bytes);
        return false;
    }

    public void Give(long bytes) => Interlocked.Add(ref used, -bytes);
}
