using MqttRules.Actions.Webhook;

namespace MqttRules.Tests.Actions.Webhook;

public class WebhookExecutorTests
{
    private static readonly Uri Url = new("http://hooks.example/alert");

    [Fact]
    public async Task Build_MappingBody_SendsJsonWithIdempotencyKeyAndPost()
    {
        var action = TestActions.Webhook(Url.ToString());

        using var request = WebhookExecutor.Build(action, Url);

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
        Assert.Equal(action.Id, Assert.Single(request.Headers.GetValues("Idempotency-Key")));
        Assert.Equal("{\"text\":\"hi\"}", await request.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Build_TextBody_SendsTextPlainUtf8()
    {
        using var request = WebhookExecutor.Build(TestActions.Webhook(Url.ToString(), "Freezer at -5 C", json: false), Url);

        Assert.Equal("text/plain; charset=utf-8", request.Content!.Headers.ContentType!.ToString());
    }

    [Fact]
    public void Build_HeadersGiven_OverrideDefaultsIncludingContentType()
    {
        var action = TestActions.Webhook(Url.ToString()) with
        {
            Method = "put",
            Headers = [new("Content-Type", "application/vnd.ops+json"), new("Authorization", "Bearer abc"), new("X-Custom", "1")],
        };

        using var request = WebhookExecutor.Build(action, Url);

        Assert.Equal(HttpMethod.Put, request.Method);
        Assert.Equal("application/vnd.ops+json", request.Content!.Headers.ContentType!.MediaType);
        Assert.Equal("Bearer abc", request.Headers.Authorization!.ToString());
        Assert.Equal("1", Assert.Single(request.Headers.GetValues("X-Custom")));
    }

    [Fact]
    public void Build_NoBody_SendsNoContent()
    {
        using var request = WebhookExecutor.Build(TestActions.Webhook(Url.ToString(), body: null) with { Method = "GET" }, Url);

        Assert.Null(request.Content);
        Assert.Equal(HttpMethod.Get, request.Method);
    }

    [Fact]
    public void Build_SameActionTwice_SameIdempotencyKey()
    {
        var action = TestActions.Webhook(Url.ToString());

        using var first = WebhookExecutor.Build(action, Url);
        using var second = WebhookExecutor.Build(action, Url);

        Assert.Equal(first.Headers.GetValues("Idempotency-Key"), second.Headers.GetValues("Idempotency-Key"));
    }

    [Fact]
    public async Task ExecuteAsync_RelativeUrl_FinalWithoutSecretUrl()
    {
        using var http = new HttpClient();
        var executor = new WebhookExecutor(http, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestActions.T0));

        var result = await executor.ExecuteAsync(TestActions.Webhook("not a url?token=s3cret"), CancellationToken.None);

        Assert.Equal(MqttRules.Actions.Delivery.DeliveryOutcome.Final, result.Outcome);
        Assert.DoesNotContain("s3cret", result.Detail);
    }

    [Theory]
    [InlineData("X-City", "a\r\nX-Admin: 1", "control character (U+000D)")]
    [InlineData("X-City", "a\rb", "control character (U+000D)")]
    [InlineData("X-City", "a\0b", "control character (U+0000)")]
    [InlineData("X-City", "a\u007fb", "control character (U+007F)")]
    [InlineData("X-City", "a\u001bb", "control character (U+001B)")]
    [InlineData("X-City", "Zürich", "non-ASCII character (U+00FC)")]
    [InlineData("X City", "1", "not a valid HTTP header name")]
    public async Task Execute_HeaderCannotBeSentSafely_FinalWithoutCallingThePeer(string name, string value, string fragment)
    {
        var handler = new CountingHandler();
        using var http = new HttpClient(handler);
        var executor = new WebhookExecutor(http, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestActions.T0));

        var result = await executor.ExecuteAsync(TestActions.Webhook(Url.ToString()) with { Headers = [new(name, value)] }, CancellationToken.None);

        Assert.Equal(MqttRules.Actions.Delivery.DeliveryOutcome.Final, result.Outcome);
        Assert.Contains(fragment, result.Detail, StringComparison.Ordinal);
        Assert.Equal(0, handler.Calls);
    }

    /// <summary>RFC 9110 §5.5: field-value = *( VCHAR / SP / HTAB / obs-text ): a TAB inside a value is valid HTTP.</summary>
    [Fact]
    public async Task Execute_HeaderWithTab_Sent()
    {
        var handler = new CountingHandler();
        using var http = new HttpClient(handler);
        var executor = new WebhookExecutor(http, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestActions.T0));

        var result = await executor.ExecuteAsync(TestActions.Webhook(Url.ToString()) with { Headers = [new("X-Cols", "a\tb")] }, CancellationToken.None);

        Assert.Equal(MqttRules.Actions.Delivery.DeliveryOutcome.Delivered, result.Outcome);
        Assert.Equal(1, handler.Calls);
        Assert.Equal("a\tb", Assert.Single(handler.Last!.Headers.GetValues("X-Cols")));
    }

    private sealed class CountingHandler : HttpMessageHandler
    {
        public int Calls { get; private set; }

        public HttpRequestMessage? Last { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            Last = request;
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }
}
