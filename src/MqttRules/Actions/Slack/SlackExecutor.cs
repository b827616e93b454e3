using MqttRules.Actions.Delivery;

namespace MqttRules.Actions.Slack;

/// <summary>
/// Posts <c>{"text"}</c> to a Slack incoming webhook (the action's url, else SLACK_WEBHOOK_URL). Slack answers
/// errors in plain text (<c>invalid_payload</c>, <c>channel_is_archived</c>, <c>no_service</c>), a rate limit
/// with 429 and <c>Retry-After</c>.
/// </summary>
internal sealed class SlackExecutor(HttpClient http, string? defaultUrl, TimeProvider clock)
    : IncomingWebhookExecutor<SlackAction>(http, defaultUrl, Variable, Answers, clock)
{
    public const string Variable = "SLACK_WEBHOOK_URL";

    public static readonly ServiceAnswers Answers = new("Slack", "error");

    public override HttpContent Body(SlackAction action) => JsonBody.Create(w => w.WriteString("text", action.Text));
}
