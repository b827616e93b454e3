using System.Globalization;

namespace MqttRules.Mqtt;

/// <summary>
/// While the broker stays unreachable: the first failure is reported, and then again before a
/// minute has passed since the last report, with how long the broker has been down. The attempts
/// in between are quiet (the backoff makes them frequent at first).
/// </summary>
internal sealed class Outage(TimeProvider clock)
{
    public static readonly TimeSpan ReportEvery = TimeSpan.FromMinutes(1);

    /// <summary>The longest a connect attempt can take (the client's connect timeout).</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    private DateTimeOffset? since;
    private bool reported;
    private DateTimeOffset lastReport;

    /// <summary>The connection was lost: the outage counts from now (unless it already does).</summary>
    public void Lost() => since ??= clock.GetUtcNow();

    /// <summary>
    /// An attempt failed and the next comes after <paramref name="retryIn"/>. Returns how long the
    /// broker has been down when this failure should be reported (the first failure always is), else null.
    /// </summary>
    public TimeSpan? Failed(TimeSpan retryIn)
    {
        var now = clock.GetUtcNow();
        since ??= now;
        if (!reported)
        {
            (reported, lastReport) = (true, now);
            return now - since.Value;
        }

        // Report now unless the next attempt is sure to come, and report, within the minute.
        if (now + retryIn + AttemptTimeout - lastReport < ReportEvery)
        {
            return null;
        }

        lastReport = now;
        return now - since.Value;
    }

    public void Recovered() => (since, reported) = (null, false);

    /// <summary>"45 s", "3 min 5 s", "2 h 10 min".</summary>
    public static string Format(TimeSpan d) => d.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalHours} h {d.Minutes} min")
        : d.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalMinutes} min {d.Seconds} s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalSeconds} s");
}
