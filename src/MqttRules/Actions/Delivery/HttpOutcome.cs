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

    public static bool IsSuccess(HttpStatusCode code) => (int)code is >= 200 and < 300;
}
