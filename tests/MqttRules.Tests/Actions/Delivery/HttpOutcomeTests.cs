using System.Net;
using MqttRules.Actions.Delivery;
using MqttRules.Actions.Tweet;

namespace MqttRules.Tests.Actions.Delivery;

public class HttpOutcomeTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(200, DeliveryOutcome.Delivered)]
    [InlineData(201, DeliveryOutcome.Delivered)]
    [InlineData(204, DeliveryOutcome.Delivered)]
    [InlineData(400, DeliveryOutcome.Final)]
    [InlineData(401, DeliveryOutcome.Final)]
    [InlineData(404, DeliveryOutcome.Final)]
    [InlineData(410, DeliveryOutcome.Final)]
    [InlineData(408, DeliveryOutcome.Retry)]
    [InlineData(429, DeliveryOutcome.Retry)]
    [InlineData(500, DeliveryOutcome.Retry)]
    [InlineData(502, DeliveryOutcome.Retry)]
    [InlineData(503, DeliveryOutcome.Retry)]
    public void Classify_StatusCode_Outcome(int code, DeliveryOutcome expected)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)code);

        Assert.Equal(expected, HttpOutcome.Classify(response, "webhook h", Now).Outcome);
    }

    [Fact]
    public void RetryAt_RetryAfterSeconds_NowPlusDelta()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.TryAddWithoutValidation("Retry-After", "120");

        Assert.Equal(Now.AddSeconds(120), HttpOutcome.RetryAt(response, Now));
    }

    [Fact]
    public void RetryAt_RetryAfterDate_ThatDate()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.TryAddWithoutValidation("Retry-After", "Thu, 01 Jan 2026 00:05:00 GMT");

        Assert.Equal(Now.AddMinutes(5), HttpOutcome.RetryAt(response, Now));
    }

    [Fact]
    public void RetryAt_RateLimitReset_EpochSeconds()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("x-rate-limit-reset", Now.AddMinutes(15).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(Now.AddMinutes(15), HttpOutcome.RetryAt(response, Now));
    }

    [Fact]
    public async Task TweetClassify_401_FinalNamingCredentialVariables()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);

        var result = await TweetExecutor.ClassifyAsync(response, Now, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Final, result.Outcome);
        Assert.Contains("X_ACCESS_TOKEN", result.Detail);
    }

    [Fact]
    public async Task TweetClassify_403Duplicate_FinalDuplicate()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Forbidden)
        {
            Content = new StringContent("{\"detail\":\"You are not allowed to create a Tweet with duplicate content.\",\"status\":403}"),
        };

        var result = await TweetExecutor.ClassifyAsync(response, Now, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Final, result.Outcome);
        Assert.Contains("duplicate", result.Detail);
    }

    [Fact]
    public async Task TweetClassify_403Other_FinalNamingPermissions()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("{\"title\":\"Forbidden\"}") };

        var result = await TweetExecutor.ClassifyAsync(response, Now, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Final, result.Outcome);
        Assert.Contains("Read and Write", result.Detail);
    }

    [Fact]
    public async Task TweetClassify_429WithReset_RetryAtReset()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("x-rate-limit-reset", Now.AddSeconds(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

        var result = await TweetExecutor.ClassifyAsync(response, Now, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Retry, result.Outcome);
        Assert.Equal(Now.AddSeconds(30), result.RetryAt);
    }
}
