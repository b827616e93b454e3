using System.Net.Http.Headers;
using MqttRules.Actions.Delivery;

namespace MqttRules.Actions.Ntfy;

/// <summary>
/// Publishes as JSON: <c>POST {NTFY_URL}/</c> with <c>{topic, message, title, priority, tags, click}</c>
/// (ntfy's JSON publish form), <c>Authorization: Bearer {NTFY_TOKEN}</c> when a token is set.
/// </summary>
internal sealed class NtfyExecutor(HttpClient http, NtfySettings settings, TimeProvider clock)
    : ServiceExecutor<NtfyAction>(http, Answers, clock)
{
    public static readonly ServiceAnswers Answers = new("ntfy", "error", CredentialsHint: "NTFY_TOKEN (an access token allowed to write the topic)");

    private readonly Uri endpoint = JsonBody.Under(settings.BaseUrl, "");

    protected override string? Problem(NtfyAction action) => NtfyAction.TopicProblem(action.Topic);

    protected override HttpRequestMessage Request(NtfyAction action)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = JsonBody.Create(w => Write(w, action)) };
        if (settings.Token is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private static void Write(System.Text.Json.Utf8JsonWriter w, NtfyAction action)
    {
        w.WriteString("topic", action.Topic);
        w.WriteString("message", action.Message);
        w.Optional("title", action.Title);
        if (action.Priority is { } p)
        {
            w.WriteNumber("priority", p);
        }

        if (action.Tags.Count > 0)
        {
            w.WriteStartArray("tags");
            foreach (var tag in action.Tags)
            {
                w.WriteStringValue(tag);
            }

            w.WriteEndArray();
        }

        w.Optional("click", action.Click);
    }
}
