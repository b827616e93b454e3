using MqttRules.Rules;
using System.Globalization;
using Microsoft.Extensions.Logging;
using MqttRules.Actions;
using MqttRules.Actions.Delivery;
using MqttRules.Actions.Email;
using MqttRules.Actions.Tweet;
using MqttRules.Actions.Webhook;
using MqttRules.Configuration;
using MqttRules.Diagnostics;
using MqttRules.Storage;

namespace MqttRules.Outbox;

/// <summary>
/// Composition entry point for <c>run</c>: opens the state database, reads secrets (env or *_FILE),
/// builds the executors, the outbox and the state store. Bad configuration throws
/// <see cref="ConfigException"/> naming the variable (a fatal start-up error). Missing X
/// credentials or SMTP only warn, and only when a rule uses tweets or email
/// (<paramref name="usedKinds"/>; null: warn whenever they are missing); with some but not all X
/// variables set, that warning names the missing ones.
/// </summary>
public static class Notifications
{
    public static NotificationServices Create(string statePath, Func<string, string?> env, TimeProvider clock, ILoggerFactory loggers,
        EngineMetrics metrics, DeliveryOptions? options = null, HttpMessageHandler? handler = null, IReadOnlySet<ActionKind>? usedKinds = null)
    {
        var logger = loggers.CreateLogger("MqttRules.Outbox");
        var secrets = new Secrets(env);
        options = (options ?? new DeliveryOptions()) with { TweetBudget = TweetBudget(secrets, options?.TweetBudget ?? 50) };
        var x = XCredentials.From(secrets);
        var xBase = XBaseUrl(secrets);
        var smtp = Smtp(secrets);
        var http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        var executors = new Dictionary<ActionKind, IActionExecutor> { [ActionKind.Webhook] = new WebhookExecutor(http, clock) };
        if (x is not null)
        {
            executors[ActionKind.Tweet] = new TweetExecutor(http, x, xBase, clock);
        }
        else if (!(usedKinds?.Contains(ActionKind.Tweet) ?? true))
        {
            // No rule tweets: nothing to warn about, complete or not.
        }
        else if (MissingX(secrets) is { Count: < 4 } missing)
        {
            OutboxLog.XCredentialsIncomplete(logger, string.Join(", ", missing));
        }
        else
        {
            OutboxLog.NoXCredentials(logger);
        }

        if (smtp is not null)
        {
            executors[ActionKind.Email] = new EmailExecutor(smtp, options.AttemptTimeout);
        }
        else if (usedKinds?.Contains(ActionKind.Email) ?? true)
        {
            OutboxLog.NoSmtp(logger);
        }

        var db = StateDatabase.Open(statePath);
        var store = new OutboxStore(db);
        var delivery = new OutboxDelivery(store, executors, options, clock, logger, metrics);
        var sink = new OutboxSink(store, clock, logger, metrics, options.TweetBudget) { Enabled = executors.Keys.ToHashSet(), Stored = delivery.Wake };
        metrics.OutboxPending = () => SafePending(store);
        return new NotificationServices(db, http, store, sink, delivery);
    }

    /// <summary>The four X variables (each may also come from <c>NAME_FILE</c>).</summary>
    public static readonly string[] XVariables = ["X_API_KEY", "X_API_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET"];

    private static List<string> MissingX(Secrets secrets) => XVariables.Where(n => secrets.Get(n) is null).ToList();

    private static SmtpSettings? Smtp(Secrets secrets)
    {
        try
        {
            return SmtpSettings.FromEnvironment(secrets);
        }
        catch (FormatException ex)
        {
            throw new ConfigException(ex.Message);
        }
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

    private static int TweetBudget(Secrets secrets, int fallback)
    {
        var text = secrets.Setting("MQTTRULES_TWEET_BUDGET", fallback.ToString(CultureInfo.InvariantCulture));
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw ConfigException.For("MQTTRULES_TWEET_BUDGET", $"must be a whole number of tweets per 24 h (0 or more), not '{text}'");
    }

    private static Uri XBaseUrl(Secrets secrets)
    {
        var text = secrets.Setting("X_API_BASE_URL", "https://api.x.com");
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw ConfigException.For("X_API_BASE_URL", "must be an absolute http(s) URL such as https://api.x.com");
    }
}
