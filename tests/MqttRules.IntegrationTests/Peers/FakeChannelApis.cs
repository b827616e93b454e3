using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace MqttRules.IntegrationTests.Peers;

/// <summary>
/// Fakes of the chat services, each run on its own <see cref="FakeHttpPeer"/>: they accept only the request
/// the real service accepts (path, method, credential, JSON with the required field) and answer as it does
/// (Mastodon 200 with the status, ntfy 200 with the message, Telegram <c>{"ok":true}</c>, Slack <c>ok</c>,
/// Discord 204); anything else gets the service's own refusal. The scenario may answer instead.
/// </summary>
internal static class FakeChannelApis
{
    public const string MastodonToken = "it-mastodon-token-Q1";
    public const string NtfyToken = "tk_itntfytokenQ2";
    public const string TelegramToken = "4242:it-telegram-token-Q3";
    public const string TelegramChat = "-1009999";
    public const string SlackPath = "/services/T00/B00/it-slack-secret-Q4";
    public const string DiscordPath = "/api/webhooks/77/it-discord-secret-Q5";

    /// <summary>Every secret above: none may appear in logs, replay output or dead letters.</summary>
    public static readonly string[] Secrets = [MastodonToken, NtfyToken, TelegramToken, "it-slack-secret-Q4", "it-discord-secret-Q5"];

    public enum Service { Mastodon, Ntfy, Telegram, Slack, Discord }

    public static readonly Service[] All = Enum.GetValues<Service>();

    /// <summary>The environment that points each channel at its fake.</summary>
    public static Dictionary<string, string?> Env(IReadOnlyDictionary<Service, FakeHttpPeer> peers) => new()
    {
        ["MASTODON_BASE_URL"] = peers[Service.Mastodon].BaseUrl.ToString(),
        ["MASTODON_ACCESS_TOKEN"] = MastodonToken,
        ["NTFY_URL"] = peers[Service.Ntfy].BaseUrl.ToString(),
        ["NTFY_TOKEN"] = NtfyToken,
        ["TELEGRAM_API_BASE_URL"] = peers[Service.Telegram].BaseUrl.ToString(),
        ["TELEGRAM_BOT_TOKEN"] = TelegramToken,
        ["TELEGRAM_CHAT_ID"] = TelegramChat,
        ["SLACK_WEBHOOK_URL"] = new Uri(peers[Service.Slack].BaseUrl, SlackPath).ToString(),
        ["DISCORD_WEBHOOK_URL"] = new Uri(peers[Service.Discord].BaseUrl, DiscordPath).ToString(),
    };

    /// <summary>One fake per service; <paramref name="answer"/> (if given) answers the valid requests of each.</summary>
    public static async Task<Dictionary<Service, FakeHttpPeer>> StartAllAsync(Func<Service, Received, HttpContext, Task>? answer = null)
    {
        var peers = new Dictionary<Service, FakeHttpPeer>();
        foreach (var service in All)
        {
            peers[service] = await FakeHttpPeer.StartAsync(Handler(service, answer is null ? null : (r, ctx) => answer(service, r, ctx)));
        }

        return peers;
    }

    public static Func<Received, HttpContext, Task> Handler(Service service, Func<Received, HttpContext, Task>? answer = null) => async (r, ctx) =>
    {
        if (Refusal(service, r) is { } refusal)
        {
            ctx.Response.StatusCode = refusal.Code;
            await ctx.Response.WriteAsync(refusal.Body);
            return;
        }

        if (answer is not null)
        {
            await answer(r, ctx);
            return;
        }

        var (code, body) = service switch
        {
            Service.Mastodon => (200, $"{{\"id\":\"{r.Number}\",\"content\":\"<p>posted</p>\"}}"),
            Service.Ntfy => (200, $"{{\"id\":\"m{r.Number}\",\"event\":\"message\",\"topic\":\"{Field(r, "topic")}\"}}"),
            Service.Telegram => (200, $"{{\"ok\":true,\"result\":{{\"message_id\":{r.Number}}}}}"),
            Service.Slack => (200, "ok"),
            _ => (204, ""),
        };
        ctx.Response.StatusCode = code;
        if (body.Length > 0)
        {
            await ctx.Response.WriteAsync(body); // a 204 has no body: Kestrel refuses one
        }
    };

    /// <summary>The text the service would show: status, message, text, text or content.</summary>
    public static string? Text(Service service, Received r) => Field(r, service switch
    {
        Service.Mastodon => "status",
        Service.Ntfy => "message",
        Service.Discord => "content",
        _ => "text",
    });

    public static string? Field(Received r, string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(r.Body);
            return doc.RootElement.TryGetProperty(name, out var v) ? v.ToString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (int Code, string Body)? Refusal(Service service, Received r)
    {
        var path = new Uri(r.Url).AbsolutePath;
        var bearer = r.Headers.GetValueOrDefault("Authorization");
        return service switch
        {
            Service.Mastodon when path != "/api/v1/statuses" || r.Method != "POST" => (404, "{\"error\":\"Record not found\"}"),
            Service.Mastodon when bearer != $"Bearer {MastodonToken}" => (401, "{\"error\":\"The access token is invalid\"}"),
            Service.Mastodon when Field(r, "status") is null => (422, "{\"error\":\"Validation failed: Text can't be blank\"}"),
            Service.Ntfy when path != "/" || r.Method != "POST" || Field(r, "topic") is null => (400, "{\"code\":40001,\"http\":400,\"error\":\"invalid request\"}"),
            Service.Ntfy when bearer != $"Bearer {NtfyToken}" => (401, "{\"code\":40101,\"http\":401,\"error\":\"unauthorized\"}"),
            Service.Telegram when path != $"/bot{TelegramToken}/sendMessage" => (404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}"),
            Service.Telegram when Field(r, "chat_id") != TelegramChat => (400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}"),
            Service.Slack when path != SlackPath => (404, "no_service"),
            Service.Slack when Field(r, "text") is null => (400, "invalid_payload"),
            Service.Discord when path != DiscordPath => (404, "{\"message\":\"Unknown Webhook\",\"code\":10015}"),
            Service.Discord when Field(r, "content") is null => (400, "{\"message\":\"Cannot send an empty message\",\"code\":50006}"),
            _ => null,
        };
    }
}
