using MqttRules.Expressions;

namespace MqttRules.Actions.Delivery;

/// <summary>
/// A message to a chat service's incoming webhook (Slack, Discord). The webhook URL is a credential
/// (whoever has it can post): taken from <see cref="Url"/> or the kind's environment variable at
/// delivery, and never printed: not in replay output, the live log, details or dead letters.
/// </summary>
internal abstract record IncomingWebhookAction : ExternalAction
{
    /// <summary>The action's own <c>url:</c>, or null for the kind's environment variable.</summary>
    public string? Url { get; init; }

    public override ExternalAction WithoutSecrets() => Url is null ? this : this with { Url = Diagnostics.Redaction.Mask };

    /// <summary>A rendered <c>url:</c>, checked to be an http(s) URL; the problem never shows the URL.</summary>
    protected static string? RenderUrl(Template? url, EvalContext ctx, string kind)
    {
        if (url is null)
        {
            return null;
        }

        var text = url.Render(ctx, HoleEncoding.Url, out _);
        return JsonBody.HttpUrl(text) is null || text.Any(char.IsControl)
            ? throw new ActionRenderException($"{kind} url rendered to something that is not an http(s) URL (not shown: it is a credential)")
            : text;
    }
}

/// <summary>Sends an <see cref="IncomingWebhookAction"/> to its URL, or to the one from the environment.</summary>
internal abstract class IncomingWebhookExecutor<T>(HttpClient http, string? defaultUrl, string variable, ServiceAnswers answers, TimeProvider clock)
    : ServiceExecutor<T>(http, answers, clock)
    where T : IncomingWebhookAction
{
    protected override string? Problem(T action) =>
        action.Url is null && defaultUrl is null ? $"{variable} is not set and the {action.KindText} action has no url"
        : JsonBody.HttpUrl(action.Url ?? defaultUrl) is null ? $"the {action.KindText} webhook url is not an http(s) URL"
        : null;

    protected override HttpRequestMessage Request(T action) => new(HttpMethod.Post, JsonBody.HttpUrl(action.Url ?? defaultUrl)) { Content = Body(action) };

    /// <summary>The JSON body of one attempt.</summary>
    public abstract HttpContent Body(T action);
}
