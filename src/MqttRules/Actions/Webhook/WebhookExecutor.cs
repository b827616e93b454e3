using System.Net.Http.Headers;
using System.Text;
using MqttRules.Actions.Delivery;

namespace MqttRules.Actions.Webhook;

/// <summary>
/// Calls a webhook: mapping body as <c>application/json</c>, text as <c>text/plain; charset=utf-8</c>,
/// the rule's headers override ours, <c>Idempotency-Key</c> is the action id on every attempt. 2xx is success.
/// </summary>
internal sealed class WebhookExecutor(HttpClient http, TimeProvider clock) : ActionExecutor<WebhookAction>
{
    public const string IdempotencyHeader = "Idempotency-Key";

    protected override async Task<DeliveryResult> DeliverAsync(WebhookAction action, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(action.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return DeliveryResult.Rejected($"rule {action.RuleId}: webhook url is not an absolute http(s) URL");
        }

        if (HeaderProblem(action.Headers) is { } problem)
        {
            return DeliveryResult.Rejected($"rule {action.RuleId}: webhook {problem}");
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
    public static HttpRequestMessage Build(WebhookAction action, Uri url)
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

    /// <summary>
    /// Why the headers cannot be sent as they are, or null. A header value is printable ASCII or TAB
    /// (RFC 9110 field-value; CR, LF, NUL and other control characters would inject or corrupt a header; non-ASCII bytes are
    /// refused by HTTP stacks), a header name is an RFC 9110 token. Sending again cannot change this,
    /// so such an action goes to the dead letters at once.
    /// </summary>
    public static string? HeaderProblem(IEnumerable<KeyValuePair<string, string>> headers)
    {
        foreach (var (name, value) in headers)
        {
            if (name.Length == 0 || !name.All(IsTokenChar))
            {
                return $"header name '{Printable(name)}' is not a valid HTTP header name";
            }

            var bad = value.AsSpan().IndexOfAnyExcept(HeaderValueChars);
            if (bad >= 0)
            {
                var what = char.IsControl(value[bad]) ? "a control character" : "a non-ASCII character";
                return $"header '{name}' contains {what} (U+{(int)value[bad]:X4}) at position {bad}; refused so that it cannot inject or corrupt a header";
            }
        }

        return null;
    }

    private static readonly System.Buffers.SearchValues<char> HeaderValueChars =
        System.Buffers.SearchValues.Create("\t !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    private static string Printable(string s) => string.Concat(s.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

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
