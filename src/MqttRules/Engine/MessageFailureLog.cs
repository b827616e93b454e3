using Microsoft.Extensions.Logging;

namespace MqttRules.Engine;

/// <summary>
/// Reports what goes wrong per message without flooding the log: bad payloads (counted in
/// <c>mqttrules_payload_errors_total</c>) as a warning with topic and reason, unexpected rule
/// failures (counted in <c>mqttrules_evaluation_errors_total</c>) with their stack trace; each
/// at most once a minute on the engine's clock, with one summary line for those held back.
/// </summary>
internal sealed class MessageFailureLog(ILogger logger, TimeProvider clock)
{
    private readonly LogWindow payloads = new(clock);
    private readonly LogWindow crashes = new(clock);

    public void Report(string topic, string reason)
    {
        if (payloads.Admit(out var ended))
        {
            Summarize(ended, 0);
            Log.BadPayload(logger, topic, reason);
        }
    }

    public void Crashed(Exception ex, string ruleId, string? series)
    {
        if (crashes.Admit(out var ended))
        {
            Summarize(0, ended);
            Log.RuleCrashed(logger, ex, ruleId, series);
        }
    }

    /// <summary>A summary is still to be written (so time must be passed on with <see cref="Tick"/>).</summary>
    public bool Holding => payloads.Holding || crashes.Holding;

    /// <summary>Writes the summaries of windows that have ended; the engine calls this as time passes.</summary>
    public void Tick() => Summarize(payloads.Expired(), crashes.Expired());

    private void Summarize(int payloadCount, int crashCount)
    {
        if (payloadCount > 0)
        {
            Log.BadPayloadsSuppressed(logger, payloadCount);
        }

        if (crashCount > 0)
        {
            Log.RuleCrashesSuppressed(logger, crashCount);
        }
    }
}
