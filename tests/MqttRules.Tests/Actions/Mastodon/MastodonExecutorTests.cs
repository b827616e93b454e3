using System.Net;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Actions.Delivery;
using MqttRules.Actions.Mastodon;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Actions.Mastodon;

public class MastodonExecutorTests
{
    private const string Token = "mastodon-token-s3cret";
    private static readonly MastodonSettings Settings = new(new Uri("https://social.example/prefix"), Token);

    private static Task<DeliveryResult> Deliver(StubHttp stub, MastodonAction action) =>
        new MastodonExecutor(stub.Client(), Settings, new FakeTimeProvider(TestActions.T0)).ExecuteAsync(action, CancellationToken.None);

    [Fact]
    public async Task Deliver_Status_PostsJsonWithBearerTokenAndIdempotencyKey()
    {
        var stub = new StubHttp(HttpStatusCode.OK, "{\"id\":\"1\"}");
        var action = TestActions.Mastodon("Valve did not close") with { Visibility = "unlisted", SpoilerText = "water" };

        var result = await Deliver(stub, action);

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        var request = Assert.Single(stub.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://social.example/prefix/api/v1/statuses", request.Uri.ToString());
        Assert.Equal($"Bearer {Token}", request.Headers["Authorization"]);
        Assert.Equal(action.Id, request.Headers["Idempotency-Key"]);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("{\"status\":\"Valve did not close\",\"visibility\":\"unlisted\",\"spoiler_text\":\"water\"}", request.Body);
    }

    [Fact]
    public async Task Deliver_NoVisibility_LeavesItToTheAccountDefault()
    {
        var stub = new StubHttp();

        await Deliver(stub, TestActions.Mastodon("hi"));

        Assert.Equal("{\"status\":\"hi\"}", stub.Last.Body);
    }

    [Fact]
    public async Task Deliver_429WithRateLimitReset_HoldsTheLaneUntilTheResetTimestamp()
    {
        // Mastodon's X-RateLimit-Reset is an ISO 8601 timestamp (docs.joinmastodon.org/api/rate-limits).
        var stub = new StubHttp(_ => StubHttp.Answer(HttpStatusCode.TooManyRequests, "{\"error\":\"Too many requests\"}",
            ("X-RateLimit-Limit", "300"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "2026-01-01T00:04:30.000Z")));

        var result = await Deliver(stub, TestActions.Mastodon());

        Assert.Equal(DeliveryOutcome.Retry, result.Outcome);
        Assert.True(result.HoldsLane);
        Assert.Equal(TestActions.T0.AddMinutes(4).AddSeconds(30), result.RetryAt);
    }

    [Fact]
    public async Task Deliver_503WithRateLimitHeaders_OrdinaryBackoffNotTheReset()
    {
        var stub = new StubHttp(_ => StubHttp.Answer(HttpStatusCode.ServiceUnavailable, "", ("X-RateLimit-Reset", "2026-01-01T00:05:00Z")));

        var result = await Deliver(stub, TestActions.Mastodon());

        Assert.Equal(DeliveryOutcome.Retry, result.Outcome);
        Assert.False(result.HoldsLane);
        Assert.Null(result.RetryAt);
    }

    [Fact]
    public async Task Deliver_401_FinalNamingTheVariableNotTheToken()
    {
        var stub = new StubHttp(HttpStatusCode.Unauthorized, "{\"error\":\"The access token is invalid\"}");

        var result = await Deliver(stub, TestActions.Mastodon());

        Assert.Equal(DeliveryOutcome.Final, result.Outcome);
        Assert.Contains("MASTODON_ACCESS_TOKEN", result.Detail);
        Assert.Contains("The access token is invalid", result.Detail);
        Assert.DoesNotContain(Token, result.Detail);
    }

    [Fact]
    public async Task Deliver_422Validation_FinalWithMastodonsError()
    {
        var stub = new StubHttp(HttpStatusCode.UnprocessableEntity, "{\"error\":\"Validation failed: Text character limit of 500 exceeded\"}");

        var result = await Deliver(stub, TestActions.Mastodon());

        Assert.Equal(DeliveryOutcome.Final, result.Outcome);
        Assert.Contains("Validation failed", result.Detail);
    }

    [Fact]
    public async Task Deliver_LongStatus_SentShortenedToFiveHundredWithTheContentWarning()
    {
        var stub = new StubHttp();
        var action = TestActions.Mastodon(string.Concat(Enumerable.Repeat("leak 🚰 ", 120))) with { SpoilerText = "water alarm" };

        await Deliver(stub, action);

        var status = stub.Last.Json.GetProperty("status").GetString()!;
        Assert.EndsWith("…", status);
        Assert.InRange(TextLimit.Length(status + "water alarm", TextLimit.Measure.Mastodon), MastodonAction.MaxLength - 2, MastodonAction.MaxLength);
    }
}
