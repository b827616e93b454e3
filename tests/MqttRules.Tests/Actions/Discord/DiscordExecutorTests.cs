using System.Net;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions.Delivery;
using MqttRules.Actions.Discord;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Actions.Discord;

public class DiscordExecutorTests
{
    private const string EnvUrl = "https://discord.example/api/webhooks/42/tok-s3cret";

    private static Task<DeliveryResult> Deliver(StubHttp stub, DiscordAction action) =>
        new DiscordExecutor(stub.Client(), EnvUrl, new FakeTimeProvider(TestActions.T0)).ExecuteAsync(action, CancellationToken.None);

    [Fact]
    public async Task Deliver_ContentAndUsername_PostedAsJson()
    {
        var stub = new StubHttp(HttpStatusCode.NoContent, "");

        var result = await Deliver(stub, TestActions.Discord() with { Username = "house" });

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        var request = Assert.Single(stub.Requests);
        Assert.Equal(EnvUrl, request.Uri.ToString());
        Assert.Equal("{\"content\":\"Freezer at -5 C\",\"username\":\"house\"}", request.Body);
    }

    [Fact]
    public async Task Deliver_429WithRetryAfterInTheBody_HoldsTheLaneThoseSeconds()
    {
        // Discord's rate-limit answer: {"message", "retry_after" (seconds, fractional), "global"}.
        var stub = new StubHttp(HttpStatusCode.TooManyRequests, "{\"message\":\"You are being rate limited.\",\"retry_after\":1.5,\"global\":false}");

        var result = await Deliver(stub, TestActions.Discord());

        Assert.True(result.HoldsLane);
        Assert.Equal(TestActions.T0.AddSeconds(1.5), result.RetryAt);
        Assert.Contains("You are being rate limited.", result.Detail);
    }

    [Fact]
    public async Task Deliver_UnknownWebhook_FinalWithoutTheUrl()
    {
        var stub = new StubHttp(HttpStatusCode.NotFound, "{\"message\":\"Unknown Webhook\",\"code\":10015}");

        var result = await Deliver(stub, TestActions.Discord());

        Assert.Equal(DeliveryOutcome.Final, result.Outcome);
        Assert.Contains("Unknown Webhook", result.Detail);
        Assert.DoesNotContain("s3cret", result.Detail);
    }

    [Fact]
    public async Task Deliver_LongContent_ShortenedTo2000()
    {
        var stub = new StubHttp(HttpStatusCode.NoContent, "");

        await Deliver(stub, TestActions.Discord(new string('y', 2500)));

        var content = stub.Last.Json.GetProperty("content").GetString()!;
        Assert.Equal(DiscordAction.MaxLength, content.Length);
        Assert.EndsWith("…", content);
    }
}
