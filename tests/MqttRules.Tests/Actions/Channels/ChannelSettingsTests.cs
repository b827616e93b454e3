using Microsoft.Extensions.Logging;
using MqttRules.Configuration;
using MqttRules.Outbox;
using MqttRules.Rules;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Actions.Channels;

public class ChannelSettingsTests
{
    private static readonly HashSet<ActionKind> EveryChannel = [ActionKind.Mastodon, ActionKind.Ntfy, ActionKind.Telegram, ActionKind.Slack, ActionKind.Discord];

    private static NotificationSettings Read(Dictionary<string, string> env, ILogger? logger = null, IReadOnlySet<ActionKind>? used = null) =>
        NotificationSettings.FromEnvironment(n => env.GetValueOrDefault(n), logger ?? new ListLogger(), usedKinds: used);

    [Fact]
    public void Secrets_FromFiles_ReadLikeEveryOtherSecret()
    {
        using var dir = new TempDir();
        var env = new Dictionary<string, string>
        {
            ["TELEGRAM_BOT_TOKEN_FILE"] = dir.Write("telegram", "777:from-file\n"),
            ["MASTODON_BASE_URL"] = "https://social.example",
            ["MASTODON_ACCESS_TOKEN_FILE"] = dir.Write("mastodon", "masto-from-file\n"),
            ["SLACK_WEBHOOK_URL_FILE"] = dir.Write("slack", "https://hooks.slack.example/services/T/B/file\n"),
            ["NTFY_TOKEN_FILE"] = dir.Write("ntfy", "tk_file\n"),
        };

        var settings = Read(env);

        Assert.Equal("777:from-file", settings.Telegram!.BotToken);
        Assert.Equal("masto-from-file", settings.Mastodon!.AccessToken);
        Assert.Equal("https://hooks.slack.example/services/T/B/file", settings.SlackWebhookUrl);
        Assert.Equal("tk_file", settings.Ntfy.Token);
        Assert.Equal("https://ntfy.sh/", settings.Ntfy.BaseUrl.ToString());
        Assert.DoesNotContain("file", settings.Telegram.ToString() + settings.Mastodon.ToString() + settings.Ntfy.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_Set_WarnsForTheChannelsRulesUseAndOnlyThose()
    {
        var logger = new ListLogger();

        var settings = Read([], logger, used: EveryChannel);

        Assert.Null(settings.Mastodon);
        Assert.Null(settings.Telegram);
        Assert.Equal(
        [
            "mastodon is not configured (MASTODON_BASE_URL and MASTODON_ACCESS_TOKEN not set, nor *_FILE): mastodon actions will be logged, not sent",
            "telegram is not configured (TELEGRAM_BOT_TOKEN not set, nor *_FILE): telegram actions will be logged, not sent",
            "SLACK_WEBHOOK_URL is not set: slack actions without their own url will go to the dead letters",
            "DISCORD_WEBHOOK_URL is not set: discord actions without their own url will go to the dead letters",
        ], logger.At(LogLevel.Warning));

        var quiet = new ListLogger();
        Read([], quiet, used: new HashSet<ActionKind> { ActionKind.Webhook });
        Assert.Empty(quiet.At(LogLevel.Warning));
    }

    [Fact]
    public void Mastodon_OnlyTheToken_WarningNamesTheMissingUrl()
    {
        var logger = new ListLogger();

        Read(new() { ["MASTODON_ACCESS_TOKEN"] = "t" }, logger, used: EveryChannel);

        Assert.Contains(logger.At(LogLevel.Warning), l => l.StartsWith("mastodon is not configured (MASTODON_BASE_URL not set", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SLACK_WEBHOOK_URL", "hooks.slack.example/services/T/B/s3cret")]
    [InlineData("DISCORD_WEBHOOK_URL", "ftp://discord.example/api/webhooks/1/s3cret")]
    [InlineData("NTFY_URL", "ntfy.example")]
    [InlineData("MASTODON_BASE_URL", "social.example")]
    public void BadUrl_ConfigErrorNamingTheVariableNeverTheValue(string name, string value)
    {
        var env = new Dictionary<string, string> { [name] = value, ["MASTODON_ACCESS_TOKEN"] = "t" };

        var ex = Assert.Throws<ConfigException>(() => Read(env));

        Assert.Contains(name, ex.Message);
        Assert.DoesNotContain("s3cret", ex.Message);
    }
}
