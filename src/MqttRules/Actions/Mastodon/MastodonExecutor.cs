using System.Net.Http.Headers;
using MqttRules.Actions.Delivery;

namespace MqttRules.Actions.Mastodon;

/// <summary>
/// Posts a status: <c>POST {base}/api/v1/statuses</c>, JSON <c>{status, visibility, spoiler_text}</c>,
/// <c>Authorization: Bearer</c>, and the action id as <c>Idempotency-Key</c> (Mastodon keeps it an hour,
/// so a retry after a lost answer does not post twice).
/// </summary>
internal sealed class MastodonExecutor(HttpClient http, MastodonSettings settings, TimeProvider clock)
    : ServiceExecutor<MastodonAction>(http, Answers, clock)
{
    public static readonly ServiceAnswers Answers = new("Mastodon", "error", CredentialsHint: "MASTODON_ACCESS_TOKEN (a token of the account, with the write:statuses scope)");

    private readonly Uri endpoint = JsonBody.Under(settings.BaseUrl, "api/v1/statuses");

    protected override string? Problem(MastodonAction action) =>
        string.IsNullOrWhiteSpace(action.Status) ? "the mastodon status is empty" : null;

    protected override HttpRequestMessage Request(MastodonAction action)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = JsonBody.Create(w =>
            {
                w.WriteString("status", action.ShortStatus());
                w.Optional("visibility", action.Visibility);
                w.Optional("spoiler_text", action.SpoilerText);
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.AccessToken);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", action.Id);
        return request;
    }
}
