using MqttRules.Actions.Delivery;

namespace MqttRules.Actions.Discord;

/// <summary>
/// Posts <c>{"content", "username"}</c> to a Discord webhook (the action's url, else DISCORD_WEBHOOK_URL).
/// Discord answers a rate limit with 429 and <c>{"retry_after": seconds}</c> in the body (also <c>Retry-After</c>),
/// errors as <c>{"message", "code"}</c>.
/// </summary>
internal sealed class DiscordExecutor(HttpClient http, string? defaultUrl, TimeProvider clock)
    : IncomingWebhookExecutor<DiscordAction>(http, defaultUrl, Variable, Answers, clock)
{
    public const string Variable = "DISCORD_WEBHOOK_URL";

    public static readonly ServiceAnswers Answers = new("Discord", "message", ["retry_after"], "DISCORD_WEBHOOK_URL or the action's url (the webhook's token)");

    public override HttpContent Body(DiscordAction action) => JsonBody.Create(w =>
    {
        w.WriteString("content", action.ShortContent());
        w.Optional("username", action.Username);
    });
}
