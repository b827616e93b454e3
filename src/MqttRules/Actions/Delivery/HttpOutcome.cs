using System.Globalization;
using System.Net;

namespace MqttRules.Actions.Delivery;

/// <summary>Maps an HTTP response to a delivery result: 2xx delivered, 408/5xx retried, 429 holds the lane, other 4xx final.</summary>
internal static class HttpOutcome
{
    public static DeliveryResult Classify(HttpResponseMessage response, string peer, DateTimeOffset now)
    {
        var code = (int)response.StatusCode;
        var detail = $"{peer} answered {code} {response.ReasonPhrase}";
        if (code is >= 200 and < 300)
        {
            return DeliveryResult.Ok(detail);
        }

        if (code == 429)
        {
            return DeliveryResult.RateLimited(detail, RetryAt(response, now));
        }

        if (code is 408 || code >= 500)
        {
            return DeliveryResult.Transient(detail, RetryAt(response, now));
        }

        return DeliveryResult.Rejected(detail);
    }

    /// <summary>When the peer asks us to come back: <c>Retry-After</c> (seconds or date) or <c>x-rate-limit-reset</c> (epoch seconds).</summary>
    public static DateTimeOffset? RetryAt(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.Headers.RetryAfter is { } ra)
        {
            if (ra.Delta is { } delta)
            {
                return now + delta;
            }

            if (ra.Date is { } date)
            {
                return date;
            }
        }

        if (response.Headers.TryGetValues("x-rate-limit-reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
        {
            return DateTimeOffset.FromUnixTimeSeconds(epoch);
        }

        return null;
    }

    /// <summary>
    /// Mastodon's <c>X-RateLimit-Reset</c>: the ISO 8601 time the limit resets (Discord sends epoch seconds
    /// with a fraction under the same name). Read for a 429 only: Mastodon sends it on every answer.
    /// </summary>
    public static DateTimeOffset? RateLimitReset(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("X-RateLimit-Reset", out var values) || values.FirstOrDefault() is not { } text)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var epoch) && epoch is > 0 and < 1e11)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds((long)(epoch * 1000));
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;
    }

    public static bool IsSuccess(HttpStatusCode code) => (int)code is >= 200 and < 300;
}
