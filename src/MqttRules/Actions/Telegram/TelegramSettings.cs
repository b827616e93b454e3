using MqttRules.Configuration;

namespace MqttRules.Actions.Telegram;

/// <summary>The bot token, the API base URL and the default chat. <see cref="ToString"/> hides the token.</summary>
internal sealed class TelegramSettings(Uri baseUrl, string botToken, string? defaultChatId)
{
    public const string DefaultBaseUrl = "https://api.telegram.org";

    public Uri BaseUrl { get; } = baseUrl;
    public string BotToken { get; } = botToken;
    public string? DefaultChatId { get; } = defaultChatId;

    /// <summary>TELEGRAM_BOT_TOKEN (or _FILE), TELEGRAM_API_BASE_URL, TELEGRAM_CHAT_ID; null without a token.</summary>
    public static TelegramSettings? From(Secrets env)
    {
        var baseUrl = env.HttpUrl("TELEGRAM_API_BASE_URL", DefaultBaseUrl);
        var token = env.Get("TELEGRAM_BOT_TOKEN");
        if (token is null)
        {
            return null;
        }

        return token.Any(c => char.IsWhiteSpace(c) || c is '/' or '?' or '#' or '%')
            ? throw ConfigException.For("TELEGRAM_BOT_TOKEN", "must be a bot token such as 123456:ABC-DEF… (from @BotFather), without spaces or '/'")
            : new TelegramSettings(baseUrl, token, env.Text("TELEGRAM_CHAT_ID"));
    }

    public override string ToString() => $"TelegramSettings({BaseUrl.Host}, ***)";
}
