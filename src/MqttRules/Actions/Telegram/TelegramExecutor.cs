using MqttRules.Actions.Delivery;

namespace MqttRules.Actions.Telegram;

/// <summary>
/// Sends a message: <c>POST {base}/bot{token}/sendMessage</c>, JSON <c>{chat_id, text}</c>. Telegram answers
/// <c>{"ok":false,"error_code":429,"description":…,"parameters":{"retry_after":N}}</c> when flooded: the lane waits
/// N seconds. The URL holds the token, so no detail or log line ever shows it.
/// </summary>
internal sealed class TelegramExecutor(HttpClient http, TelegramSettings settings, TimeProvider clock)
    : ServiceExecutor<TelegramAction>(http, Answers, clock)
{
    public static readonly ServiceAnswers Answers = new("Telegram", "description", ["parameters", "retry_after"], "TELEGRAM_BOT_TOKEN (the token @BotFather gave)");

    // "./": the token's ':' would otherwise read as a URI scheme.
    private readonly Uri endpoint = JsonBody.Under(settings.BaseUrl, $"./bot{settings.BotToken}/sendMessage");

    protected override string? Problem(TelegramAction action) =>
        (action.ChatId ?? settings.DefaultChatId) is null ? "the telegram action has no chat_id and TELEGRAM_CHAT_ID is not set"
        : string.IsNullOrWhiteSpace(action.Text) ? "the telegram text is empty"
        : null;

    protected override HttpRequestMessage Request(TelegramAction action) => new(HttpMethod.Post, endpoint)
    {
        Content = JsonBody.Create(w =>
        {
            w.WriteString("chat_id", action.ChatId ?? settings.DefaultChatId);
            w.WriteString("text", action.ShortText());
        }),
    };
}
