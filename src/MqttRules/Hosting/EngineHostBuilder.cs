using Microsoft.Extensions.Logging;
using MqttRules.Mqtt;
using MqttRules.Outbox;
using MqttRules.Rules;
using MqttRules.Storage;

namespace MqttRules.Hosting;

/// <summary>
/// Builds an <see cref="EngineHost"/>: applies the options, reads what comes from the environment
/// (broker settings when none are given, secrets, the tweet budget) and validates everything, so a
/// bad value is a <see cref="Configuration.ConfigException"/> naming it before anything opens or
/// connects; then opens the state file, once (an unusable one is a configuration error too).
/// <code>
/// await using var host = new EngineHostBuilder(rules).Configure(o => o with { StatePath = "state.db" }).Build();
/// await host.RunAsync(stoppingToken);
/// </code>
/// </summary>
public sealed class EngineHostBuilder(RuleSet rules)
{
    private HostOptions options = new();

    /// <summary>Changes the options (records: <c>o => o with { ... }</c>); later calls see earlier changes.</summary>
    public EngineHostBuilder Configure(Func<HostOptions, HostOptions> change)
    {
        options = change(options);
        return this;
    }

    /// <summary>The validated host; throws a <see cref="Configuration.ConfigException"/> naming the setting at fault.</summary>
    public EngineHost Build()
    {
        var built = options with
        {
            Broker = options.Broker ?? MqttSettings.FromEnvironment(BrokerAddress.Embedded, MqttSettings.DefaultClientId(), options.Environment),
            HttpToken = options.HttpToken ?? HttpToken.FromEnvironment(options.Environment),
            Presence = options.Presence ?? Presence.PresenceSettings.FromEnvironment(options.Environment),
        };
        built.Validate();
        if (built.Trace.FirstOrDefault(id => rules.Rules.All(r => r.Id != id)) is { } unknown)
        {
            throw Configuration.ConfigException.For("--trace", $"no rule has the id '{unknown}'");
        }

        var notifications = built.Durable
            ? NotificationSettings.FromEnvironment(built.Environment, built.Loggers.CreateLogger("MqttRules.Outbox"), built.Delivery, EngineComposition.UsedKinds(rules))
            : null;
        var log = built.Loggers.CreateLogger("MqttRules");
        return new EngineHost(rules, built, notifications, OpenState(built, log), log);
    }

    /// <summary>
    /// Opens the state file of <paramref name="options"/> (null when nothing is durable); an unusable
    /// file is a <see cref="Configuration.ConfigException"/> saying what is wrong and what to do.
    /// </summary>
    private static StateDatabase? OpenState(HostOptions options, ILogger log)
    {
        if (!options.Durable)
        {
            return null;
        }

        try
        {
            var db = StateDatabase.Open(options.StatePath!);
            HostingLog.StageStarted(log, "state");
            return db;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            throw new Configuration.ConfigException($"cannot open the state store or notification settings: {ex.Message}");
        }
    }
}
