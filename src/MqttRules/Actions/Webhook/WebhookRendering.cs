using MqttRules.Expressions;
using MqttRules.Rules;

namespace MqttRules.Actions.Webhook;

internal static class WebhookRendering
{
    /// <summary>The URL must render to an http(s) URL whose path the HTTP client sends as it is.</summary>
    public static WebhookAction Render(WebhookSpec w, EvalContext ctx, ActionOrigin origin)
    {
        var url = w.Url.Render(ctx, HoleEncoding.Url, out _);
        if (url.Any(char.IsControl))
        {
            throw new ActionRenderException($"webhook url '{w.Url.Source}' rendered with a control character");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ActionRenderException($"webhook url '{w.Url.Source}' rendered to '{url}', which is not an http(s) URL");
        }

        if (HoleEncoding.DotSegment(url) is { } dots)
        {
            throw new ActionRenderException(
                $"webhook url '{w.Url.Source}' rendered with a '{dots}' path segment, which the HTTP client removes (changing the request path); refused");
        }

        var headers = w.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.Render(ctx, HoleEncoding.Header, out _))).ToArray();
        var (body, isJson) = w.Body is null ? (null, false) : ContentRendering.Text(w.Body, ctx);
        return new WebhookAction { Origin = origin, Url = url, Method = w.Method, Headers = headers, Body = body, BodyIsJson = isJson };
    }
}
