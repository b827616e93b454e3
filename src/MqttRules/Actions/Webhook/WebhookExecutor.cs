using System.Net.Http.Headers;
using System.Text;
using MqttRules.Actions.Delivery;

namespace MqttRules.Actions.Webhook;

/// <summary>
/// Calls a webhook: mapping body as <c>application/json</c>, text as <c>text/plain; charset=utf-8</c>,
/// the rule's headers override ours, <c>Idempotency-Key</c> is the action id on every attempt. 2xx is success.
/// </summary>
public sealed class WebhookExecutor(HttpClient http, TimeProvider clock) : IActionExecutor
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public async Task<DeliveryResult> ExecuteAsync(RenderedAction action, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(action.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return DeliveryResult.Rejected($"rule {action.RuleId}: webhook url is not an absolute http(s) URL");
        }

        HttpRequestMessage request;
        try
        {
            request = Build(action, url);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            return DeliveryResult.Rejected($"rule {action.RuleId}: webhook {ex.Message}");
        }

        using var owned = request;
        using var response = await http.SendAsync(request, cancellationToken);
        return HttpOutcome.Classify(response, $"webhook {url.Host}", clock.GetUtcNow());
    }

    /// <summary>The request for one attempt; public for tests.</summary>
    public static HttpRequestMessage Build(RenderedAction action, Uri url)
    {
        var request = new HttpRequestMessage(new HttpMethod(string.IsNullOrWhiteSpace(action.Method) ? "POST" : action.Method.ToUpperInvariant()), url);
        if (action.Body is { } body)
        {
            request.Content = new StringContent(body, Encoding.UTF8, action.BodyIsJson ? "application/json" : "text/plain");
        }

        request.Headers.TryAddWithoutValidation(IdempotencyHeader, action.Id);
        foreach (var (name, value) in action.Headers)
        {
            SetHeader(request, name, value);
        }

        return request;
    }

    private static readonly HashSet<string> ContentHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Allow", "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Length", "Content-Location",
        "Content-MD5", "Content-Range", "Content-Type", "Expires", "Last-Modified",
    };

    private static void SetHeader(HttpRequestMessage request, string name, string value)
    {
        if (!ContentHeaders.Contains(name))
        {
            request.Headers.Remove(name);
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                throw new FormatException($"header '{name}' cannot be sent");
            }

            return;
        }

        request.Content ??= new ByteArrayContent([]);
        request.Content.Headers.Remove(name);
        if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.TryParse(value, out var media)
                ? media
                : throw new FormatException($"Content-Type '{value}' is not a media type");
            return;
        }

        request.Content.Headers.TryAddWithoutValidation(name, value);
    }
}
