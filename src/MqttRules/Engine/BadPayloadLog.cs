using Microsoft.Extensions.Logging;

namespace MqttRules.Engine;

/// <summary>
/// Bad payloads are counted (<c>mqttrules_payload_errors_total</c>) and reported without flooding
/// the log: the first one as a warning with its topic and reason, then at most one summary line a
/// minute for those that followed, on the engine's clock.
/// </summary>
internal sealed class BadPayloadLog(ILogger logger, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private DateTimeOffset windowEnd = DateTimeOffset.MinValue;
    private int suppressed;

    public void Report(string topic, string reason)
    {
        var now = clock.GetUtcNow();
        if (now < windowEnd)
        {
            suppressed++;
            return;
        }

        Summarize();
        Log.BadPayload(logger, topic, reason);
        windowEnd = now + Window;
    }

    /// <summary>Writes the summary of a window that has ended; the engine calls this as time passes.</summary>
    public void Tick()
    {
        if (suppressed > 0 && clock.GetUtcNow() >= windowEnd)
        {
            Summarize();
        }
    }

    private void Summarize()
    {
        if (suppressed > 0)
        {
            Log.BadPayloadsSuppressed(logger, suppressed);
            suppressed = 0;
        }
    }
}
