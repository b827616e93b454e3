using Microsoft.Extensions.Logging;
using MqttRules.Actions.Email;
using MqttRules.Actions.Mastodon;
using MqttRules.Actions.Ntfy;
using MqttRules.Actions.Telegram;
using MqttRules.Actions.Tweet;
using MqttRules.Configuration;
using MqttRules.Rules;

namespace MqttRules.Outbox;

/// <summary>
/// What external actions need from the environment (secrets from <c>NAME</c> or <c>NAME_FILE</c>):
/// X credentials and API base URL, SMTP, the tweet budget, validated delivery options. Read once
/// when the host is built; nothing here opens a file or a connection.
/// </summary>
internal sealed record NotificationSettings
{
    /// <summary>The four X variables (each may also come from <c>NAME_FILE</c>).</summary>
    public static readonly string[] XVariables = ["X_API_KEY", "X_API_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET"];

    public const string DefaultXBaseUrl = "https://api.x.com";

    public XCredentials? X { get; init; }
    public Uri XBaseUrl { get; init; } = new(DefaultXBaseUrl);
    public SmtpSettings? Smtp { get; init; }
    public DeliveryOptions Delivery { get; init; } = new();

    /// <summary>MASTODON_BASE_URL and MASTODON_ACCESS_TOKEN; null: mastodon actions are logged, not sent.</summary>
    public MastodonSettings? Mastodon { get; init; }

    /// <summary>NTFY_URL (default https://ntfy.sh) and the optional NTFY_TOKEN: ntfy always has a server.</summary>
    public NtfySettings Ntfy { get; init; } = new(new Uri(NtfySettings.DefaultUrl), null);

    /// <summary>TELEGRAM_BOT_TOKEN and the rest; null: telegram actions are logged, not sent.</summary>
    public TelegramSettings? Telegram { get; init; }

    /// <summary>SLACK_WEBHOOK_URL, for slack actions without their own url.</summary>
    public string? SlackWebhookUrl { get; init; }

    /// <summary>DISCORD_WEBHOOK_URL, for discord actions without their own url.</summary>
    public string? DiscordWebhookUrl { get; init; }

    /// <summary>
    /// Reads and checks the settings; bad configuration throws a <see cref="ConfigException"/> naming
    /// the variable. Missing X credentials or SMTP only warn, and only when a rule uses tweets or email
    /// (<paramref name="usedKinds"/>; null: warn whenever they are missing); with some but not all X
    /// variables set, that warning names the missing ones.
    /// </summary>
    public static NotificationSettings FromEnvironment(Func<string, string?> environment, ILogger logger,
        DeliveryOptions? delivery = null, IReadOnlySet<ActionKind>? usedKinds = null)
    {
        var env = new Secrets(environment);
        var options = (delivery ?? new DeliveryOptions()).WithEnvironment(env);
        options.Validate();
        var settings = new NotificationSettings
        {
            X = XCredentials.From(env),
            XBaseUrl = env.HttpUrl("X_API_BASE_URL", DefaultXBaseUrl),
            Smtp = ReadSmtp(env),
            Delivery = options,
            Mastodon = MastodonSettings.From(env),
            Ntfy = NtfySettings.From(env),
            Telegram = TelegramSettings.From(env),
            SlackWebhookUrl = WebhookUrl(env, Actions.Slack.SlackExecutor.Variable),
            DiscordWebhookUrl = WebhookUrl(env, Actions.Discord.DiscordExecutor.Variable),
        };
        settings.WarnAboutMissing(env, logger, usedKinds);
        return settings;
    }

    private void WarnAboutMissing(Secrets env, ILogger logger, IReadOnlySet<ActionKind>? usedKinds)
    {
        if (X is null && (usedKinds?.Contains(ActionKind.Tweet) ?? true))
        {
            var missing = XVariables.Where(n => env.Get(n) is null).ToList();
            if (missing.Count < XVariables.Length)
            {
                OutboxLog.XCredentialsIncomplete(logger, string.Join(", ", missing));
            }
            else
            {
                OutboxLog.NoXCredentials(logger);
            }
        }

        if (Smtp is null && (usedKinds?.Contains(ActionKind.Email) ?? true))
        {
            OutboxLog.NoSmtp(logger);
        }

        WarnAboutChannels(env, logger, usedKinds ?? new HashSet<ActionKind>());
    }

    /// <summary>
    /// The chat channels warn only when a rule uses them (they are new: a setup without them is normal).
    /// Mastodon and Telegram without their secrets are logged, not sent, like the tweet; Slack and Discord
    /// actions without a url of their own and without the variable go to the dead letters, named.
    /// </summary>
    private void WarnAboutChannels(Secrets env, ILogger logger, IReadOnlySet<ActionKind> used)
    {
        if (Mastodon is null && used.Contains(ActionKind.Mastodon))
        {
            OutboxLog.ChannelNotConfigured(logger, "mastodon", string.Join(" and ", MastodonSettings.Variables.Where(n => (n.EndsWith("_URL", StringComparison.Ordinal) ? env.Text(n) : env.Get(n)) is null)));
        }

        if (Telegram is null && used.Contains(ActionKind.Telegram))
        {
            OutboxLog.ChannelNotConfigured(logger, "telegram", "TELEGRAM_BOT_TOKEN");
        }

        if (SlackWebhookUrl is null && used.Contains(ActionKind.Slack))
        {
            OutboxLog.NoChannelUrl(logger, "slack", Actions.Slack.SlackExecutor.Variable);
        }

        if (DiscordWebhookUrl is null && used.Contains(ActionKind.Discord))
        {
            OutboxLog.NoChannelUrl(logger, "discord", Actions.Discord.DiscordExecutor.Variable);
        }
    }

    /// <summary>A chat webhook URL from <paramref name="name"/> (or its _FILE): an http(s) URL, never quoted in the error.</summary>
    private static string? WebhookUrl(Secrets env, string name) => env.Get(name) is not { } url ? null
        : Actions.Delivery.JsonBody.HttpUrl(url.Trim()) is not null ? url.Trim()
        : throw ConfigException.For(name, "must be the https:// URL of the incoming webhook (not shown: it is a credential)");

    private static SmtpSettings? ReadSmtp(Secrets env)
    {
        try
        {
            return SmtpSettings.FromEnvironment(env);
        }
        catch (FormatException ex)
        {
            throw new ConfigException(ex.Message);
        }
    }
}
