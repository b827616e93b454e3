using Microsoft.Extensions.Logging;
using MqttRules.Actions.Email;
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
    }

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
