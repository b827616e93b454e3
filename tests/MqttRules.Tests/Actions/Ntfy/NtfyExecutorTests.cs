using System.Net;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions.Delivery;
using MqttRules.Actions.Ntfy;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Actions.Ntfy;

public class NtfyExecutorTests
{
    private static Task<DeliveryResult> Deliver(StubHttp stub, NtfyAction action, string? token = null, string url = "https://ntfy.example/base") =>
        new NtfyExecutor(stub.Client(), new NtfySettings(new Uri(url), token), new FakeTimeProvider(TestActions.T0)).ExecuteAsync(action, CancellationToken.None);

    [Fact]
    public async Task Deliver_AllFields_JsonPublishToTheServerRoot()
    {
        var stub = new StubHttp();
        var action = TestActions.Ntfy() with { Title = "Freezer", Priority = 4, Tags = ["warning", "kitchen"], Click = "https://house.example/freezer" };

        var result = await Deliver(stub, action);

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        var request = Assert.Single(stub.Requests);
        Assert.Equal("https://ntfy.example/base/", request.Uri.ToString());
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("{\"topic\":\"house-alerts\",\"message\":\"Freezer at -5 C\",\"title\":\"Freezer\",\"priority\":4,\"tags\":[\"warning\",\"kitchen\"],\"click\":\"https://house.example/freezer\"}", request.Body);
        Assert.False(request.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task Deliver_Token_SentAsBearer()
    {
        var stub = new StubHttp();

        await Deliver(stub, TestActions.Ntfy(), token: "tk_abc");

        Assert.Equal("Bearer tk_abc", stub.Last.Headers["Authorization"]);
        Assert.Equal("{\"topic\":\"house-alerts\",\"message\":\"Freezer at -5 C\"}", stub.Last.Body);
    }

    [Fact]
    public async Task Deliver_429WithRetryAfter_HoldsTheLane()
    {
        var stub = new StubHttp(_ => StubHttp.Answer(HttpStatusCode.TooManyRequests, "{\"code\":42901,\"http\":429,\"error\":\"limit reached: too many requests\"}", ("Retry-After", "20")));

        var result = await Deliver(stub, TestActions.Ntfy());

        Assert.True(result.HoldsLane);
        Assert.Equal(TestActions.T0.AddSeconds(20), result.RetryAt);
        Assert.Contains("limit reached", result.Detail);
    }

    [Fact]
    public async Task Deliver_403Forbidden_FinalWithNtfysError()
    {
        var stub = new StubHttp(HttpStatusCode.Forbidden, "{\"code\":40301,\"http\":403,\"error\":\"forbidden\"}");

        var result = await Deliver(stub, TestActions.Ntfy(), token: "tk_secret");

        Assert.Equal(DeliveryOutcome.Final, result.Outcome);
        Assert.Contains("forbidden", result.Detail);
        Assert.DoesNotContain("tk_secret", result.Detail);
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("")]
    [InlineData("x/y")]
    public async Task Deliver_BadTopic_FinalWithoutARequest(string topic)
    {
        var stub = new StubHttp();

        var result = await Deliver(stub, TestActions.Ntfy(topic));

        Assert.Equal(DeliveryOutcome.Final, result.Outcome);
        Assert.Empty(stub.Requests);
    }
}
