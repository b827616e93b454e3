using MqttRules.Actions.Delivery;
using Polly;

namespace MqttRules.Outbox;

/// <summary>
/// One delivery attempt and when the next one is due. An attempt runs under a Polly timeout; a
/// failed attempt never waits inside its lane: the row is rescheduled on its own (exponential
/// backoff with jitter, the peer's <c>Retry-After</c> or rate-limit reset when given) and the lane
/// goes on with the rows behind it. Errors that retrying cannot fix are final.
/// </summary>
internal static class DeliveryPipelines
{
    public static ResiliencePipeline<DeliveryResult> Create(DeliveryOptions options, TimeProvider clock) =>
        new ResiliencePipelineBuilder<DeliveryResult> { TimeProvider = clock }.AddTimeout(options.AttemptTimeout).Build();

    /// <summary>
    /// Errors that come from the action itself (a value that cannot be encoded, a malformed URL or
    /// header), not from the peer or the network: the same action would fail the same way every time.
    /// </summary>
    public static bool IsPermanent(Exception ex) =>
        ex is ArgumentException or FormatException or NotSupportedException or System.Text.Json.JsonException;

    /// <summary>
    /// The peer cannot be reached at all (connection refused, name not resolved): no row of its lane
    /// can get through, so the lane waits for the failed row's retry instead of trying every row.
    /// A timeout or an error answer may belong to one row only and does not hold the lane.
    /// </summary>
    public static bool IsUnreachable(Exception ex) => ex switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => true,
        System.Net.Sockets.SocketException => true,
        _ => ex.InnerException is System.Net.Sockets.SocketException,
    };

    /// <summary>
    /// When a row that failed its <paramref name="attempts"/>-th attempt is tried again: the peer's own
    /// time if it gave one, else the first <see cref="DeliveryOptions.MaxAttempts"/> attempts follow
    /// quickly (<see cref="DeliveryOptions.BaseDelay"/> doubling up to <see cref="DeliveryOptions.MaxDelay"/>),
    /// later ones slowly (<see cref="DeliveryOptions.RescheduleBase"/> doubling up to <see cref="DeliveryOptions.RescheduleMax"/>).
    /// <paramref name="jitter"/> in [0, 1) spreads the quick retries by ±25 %.
    /// </summary>
    public static DateTimeOffset NextAttempt(DeliveryResult result, int attempts, DateTimeOffset now, DeliveryOptions options, double jitter)
    {
        if (result.RetryAt is { } at && at > now)
        {
            return at;
        }

        if (attempts < options.MaxAttempts)
        {
            var quick = options.BaseDelay.Ticks * Math.Pow(2, Math.Clamp(attempts - 1, 0, 20)) * (0.75 + (jitter / 2));
            return now + TimeSpan.FromTicks((long)Math.Min(quick, options.MaxDelay.Ticks));
        }

        var slow = options.RescheduleBase.Ticks * Math.Pow(2, Math.Clamp(attempts - options.MaxAttempts, 0, 20));
        return now + TimeSpan.FromTicks((long)Math.Min(slow, options.RescheduleMax.Ticks));
    }
}
