using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MqttRules.Actions.Delivery;

namespace MqttRules.Actions.Tweet;

/// <summary>Posts a tweet: <c>POST {base}/2/tweets</c>, JSON <c>{"text"}</c>, OAuth 1.0a user context.</summary>
internal sealed class TweetExecutor(HttpClient http, XCredentials credentials, Uri baseUrl, TimeProvider clock) : ActionExecutor<TweetAction>
{
    private readonly OAuth1Signer signer = new(credentials);
    private readonly Uri endpoint = new(baseUrl, "/2/tweets");

    protected override async Task<DeliveryResult> DeliverAsync(TweetAction action, CancellationToken cancellationToken)
    {
        var text = TweetText.Shorten(action.Text);
        if (string.IsNullOrWhiteSpace(text))
        {
            return DeliveryResult.Rejected($"rule {action.RuleId}: the tweet text is empty (once the characters X rejects are removed)");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = JsonContent.Create(new TweetBody(text), TweetJson.Default.TweetBody) };
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Authorization = new AuthenticationHeaderValue("OAuth", signer.AuthorizationParameter("POST", endpoint, OAuth1Signer.NewNonce(), timestamp));
        using var response = await http.SendAsync(request, cancellationToken);
        return await ClassifyAsync(response, clock.GetUtcNow(), cancellationToken);
    }

    internal static async Task<DeliveryResult> ClassifyAsync(HttpResponseMessage response, DateTimeOffset now, CancellationToken ct)
    {
        var code = (int)response.StatusCode;
        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized:
                return DeliveryResult.Rejected("X rejected the credentials (401): check X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN and X_ACCESS_TOKEN_SECRET (OAuth 1.0a user tokens of the same app)");
            case HttpStatusCode.Forbidden:
                var body = await response.Content.ReadAsStringAsync(ct);
                return body.Contains("duplicate", StringComparison.OrdinalIgnoreCase)
                    ? DeliveryResult.Rejected("X refused a duplicate post (403): the same text was posted recently; not retried")
                    : DeliveryResult.Rejected("X refused the post (403): give the app Read and Write permissions in the developer portal, then regenerate the access token and secret");
            case HttpStatusCode.TooManyRequests:
                var reset = HttpOutcome.RetryAt(response, now);
                return DeliveryResult.RateLimited(
                    reset is { } r ? $"X rate limit (429) until {r.ToString("O", CultureInfo.InvariantCulture)}" : "X rate limit (429)", reset);
            default:
                return HttpOutcome.Classify(response, "X API", now) with { Detail = $"X API answered {code} {response.ReasonPhrase}" };
        }
    }
}

internal sealed record TweetBody(string Text);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(TweetBody))]
internal sealed partial class TweetJson : System.Text.Json.Serialization.JsonSerializerContext;
