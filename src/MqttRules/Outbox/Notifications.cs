using Microsoft.Extensions.Logging;
using MqttRules.Actions;
using MqttRules.Actions.Delivery;
using MqttRules.Actions.Discord;
using MqttRules.Actions.Email;
using MqttRules.Actions.Mastodon;
using MqttRules.Actions.Ntfy;
using MqttRules.Actions.Slack;
using MqttRules.Actions.Telegram;
using MqttRules.Actions.Tweet;
using MqttRules.Actions.Webhook;
using MqttRules.Diagnostics;
using MqttRules.Rules;
using MqttRules.Storage;

namespace MqttRules.Outbox;

/// <summary>
/// Puts the durable outbox together over an open state file: the executors the settings allow
/// (webhook, ntfy, slack and discord always; tweet with X credentials; email with SMTP; mastodon and telegram with their tokens), the store, the delivery loop and
/// the sink the engine submits external actions to. The state file stays the caller's.
/// </summary>
internal static class Notifications
{
    public static NotificationServices Create(StateDatabase db, NotificationSettings settings, TimeProvider clock, ILogger logger,
        EngineMetrics metrics, HttpMessageHandler? handler = null)
    {
        var http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        var executors = Executors(settings, http, clock);
        var store = new OutboxStore(db);
        var delivery = new OutboxDelivery(store, executors, settings.Delivery, clock, logger, metrics);
        var sink = new OutboxSink(store, clock, logger, metrics, settings.Delivery.TweetBudget) { Enabled = executors.Keys.ToHashSet(), Stored = delivery.Wake };
        metrics.OutboxPending = () => SafePending(store);
        return new NotificationServices(http, store, sink, delivery);
    }

    private static Dictionary<ActionKind, IActionExecutor> Executors(NotificationSettings settings, HttpClient http, TimeProvider clock)
    {
        var executors = new Dictionary<ActionKind, IActionExecutor> { [ActionKind.Webhook] = new WebhookExecutor(http, clock) };
        if (settings.X is { } x)
        {
            executors[ActionKind.Tweet] = new TweetExecutor(http, x, settings.XBaseUrl, clock);
        }

        if (settings.Smtp is { } smtp)
        {
            executors[ActionKind.Email] = new EmailExecutor(smtp, settings.Delivery.AttemptTimeout);
        }

        if (settings.Mastodon is { } mastodon)
        {
            executors[ActionKind.Mastodon] = new MastodonExecutor(http, mastodon, clock);
        }

        if (settings.Telegram is { } telegram)
        {
            executors[ActionKind.Telegram] = new TelegramExecutor(http, telegram, clock);
        }

        executors[ActionKind.Ntfy] = new NtfyExecutor(http, settings.Ntfy, clock);
        executors[ActionKind.Slack] = new SlackExecutor(http, settings.SlackWebhookUrl, clock);
        executors[ActionKind.Discord] = new DiscordExecutor(http, settings.DiscordWebhookUrl, clock);
        return executors;
    }

    private static long SafePending(OutboxStore store)
    {
        try
        {
            return store.Pending();
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or Microsoft.Data.Sqlite.SqliteException)
        {
            return 0;
        }
    }
}
