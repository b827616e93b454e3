using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions.Delivery;
using MqttRules.Actions.Slack;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Actions.Slack;

public class SlackExecutorTests
{
    private const string EnvUrl = "https://hooks.slack.example/services/T000/B000/envs3cret";

    private static Task<DeliveryResult> Deliver(StubHttp stub, SlackAction action, string? defaultUrl = EnvUrl) =>
        new SlackExecutor(stub.Client(), defaultUrl, new FakeTimeProvider(TestActions.T0)).ExecuteAsync(action, CancellationToken.None);

    [Fact]
    public async Task Deliver_NoUrlInTheAction_PostsTextToTheEnvironmentsWebhook()
    {
        var stub = new StubHttp(HttpStatusCode.OK, "ok");

        var result = await Deliver(stub, TestActions.Slack());

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        var request = Assert.Single(stub.Requests);
        Assert.Equal(EnvUrl, request.Uri.ToString());
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("{\"text\":\"Freezer at -5 C\"}", request.Body);
    }

    [Fact]
    public async Task Deliver_UrlInTheAction_UsedInsteadOfTheEnvironment()
    {
        var stub = new StubHttp(HttpStatusCode.OK, "ok");

        await Deliver(stub, TestActions.Slack(url: "https://hooks.slack.example/services/T1/B1/own"));

        Assert.EndsWith("/own", stub.Last.Uri.ToString());
    }

    [Fact]
    public async Task Deliver_NoUrlAnywhere_FinalNamingTheVariable()
    {
        var stub = new StubHttp();

        var result = await Deliver(stub, TestActions.Slack(), defaultUrl: null);

        Assert.Equal(DeliveryOutcome.Final, result.Outcome);
        Assert.Contains("SLACK_WEBHOOK_URL", result.Detail);
        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task Deliver_429WithRetryAfter_HoldsTheLaneThatLong()
    {
        var stub = new StubHttp(_ => StubHttp.Answer(HttpStatusCode.TooManyRequests, "rate_limited", ("Retry-After", "30")));

        var result = await Deliver(stub, TestActions.Slack());

        Assert.True(result.HoldsLane);
        Assert.Equal(TestActions.T0.AddSeconds(30), result.RetryAt);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "no_service")]
    [InlineData(HttpStatusCode.Gone, "channel_is_archived")]
    [InlineData(HttpStatusCode.BadRequest, "invalid_payload")]
    public async Task Deliver_SlackRefuses_FinalWithItsPlainTextErrorNotTheUrl(HttpStatusCode code, string error)
    {
        var stub = new StubHttp(code, error);

        var result = await Deliver(stub, TestActions.Slack());

        Assert.Equal(DeliveryOutcome.Final, result.Outcome);
        Assert.Contains(error, result.Detail);
        Assert.DoesNotContain("envs3cret", result.Detail);
    }

    [Fact]
    public void ReplayAndDeadLetter_NeverShowTheUrl()
    {
        var action = TestActions.Slack(url: "https://hooks.slack.example/services/T/B/own-s3cret");
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            action.WriteFields(writer);
            writer.WriteEndObject();
        }

        Assert.Equal("{\"text\":\"Freezer at -5 C\"}", System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        Assert.DoesNotContain("s3cret", action.Describe());
        Assert.DoesNotContain("s3cret", MqttRules.Outbox.OutboxJson.Write(action.WithoutSecrets()));
        var fromEnvironment = TestActions.Slack();
        Assert.Same(fromEnvironment, fromEnvironment.WithoutSecrets());
    }
}
