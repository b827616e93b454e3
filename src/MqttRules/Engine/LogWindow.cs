namespace MqttRules.Engine;

/// <summary>
/// Lets one event of a kind through per minute (on the engine's clock) and counts the rest, so a
/// flood of the same failure is one full line, then one summary line a minute.
/// </summary>
internal sealed class LogWindow(TimeProvider clock)
{
    public static readonly TimeSpan Length = TimeSpan.FromMinutes(1);
    private DateTimeOffset end = DateTimeOffset.MinValue;
    private int suppressed;

    /// <summary>
    /// True when this event is to be logged in full; <paramref name="ended"/> is then the number
    /// held back in the window that just ended (to summarize first), else 0.
    /// </summary>
    public bool Admit(out int ended)
    {
        ended = 0;
        var now = clock.GetUtcNow();
        if (now < end)
        {
            suppressed++;
            return false;
        }

        ended = TakeSuppressed();
        end = now + Length;
        return true;
    }

    /// <summary>Events are held back: a summary line is still to be written when the window ends.</summary>
    public bool Holding => suppressed > 0;

    /// <summary>The number held back in a window that has ended by now (reset), else 0.</summary>
    public int Expired() => suppressed > 0 && clock.GetUtcNow() >= end ? TakeSuppressed() : 0;

    private int TakeSuppressed()
    {
        var n = suppressed;
        suppressed = 0;
        return n;
    }
}
