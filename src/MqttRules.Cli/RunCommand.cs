using Microsoft.Extensions.Logging;
using MqttRules.Configuration;
using MqttRules.Demo;
using MqttRules.Engine;
using MqttRules.Hosting;
using MqttRules.Loading;
using MqttRules.Mqtt;
using MqttRules.Diagnostics;
using MqttRules.Outbox;
using MqttRules.Rules;
using MqttRules.State;

namespace MqttRules.Cli;

/// <summary><c>mqttrules run</c>: the live engine until SIGINT/SIGTERM; exit 0 on a clean stop, 1 on a fatal start-up error.</summary>
public static class RunCommand
{
    public static async Task<int> RunAsync(CliOptions options)
    {
        var dryRun = options.GetBool("dry-run");
        var demo = options.GetBool("demo");
        var zone = options.TimeZone();
        MqttSettings settings;
        HostPort? http;
        int maxSeries;
        try
        {
            maxSeries = SeriesLimitSetting.FromEnvironment(options.Env);
            settings = dryRun
                ? BrokerSettings(options, ExplicitClientId(options) ?? MqttSettings.UniqueClientId("mqttrules-dryrun")) with { PersistentSession = false }
                : BrokerSettings(options, options.Get("client-id", MqttSettings.DefaultClientId()));
            http = options.GetOrNull("http") is { } addr ? HostPort.Parse(addr, "--http") : null;
        }
        catch (ConfigException ex)
        {
            return Fail(ex.Message);
        }

        if (demo && !settings.Broker.IsEmbedded)
        {
            throw new UsageException("--demo simulates a meter on the embedded broker; use it with --broker embedded");
        }

        if (LoadRules(options, demo) is not { } loaded)
        {
            return 1;
        }

        using var loggers = Logging.Create(options);
        var statePath = dryRun ? null : StatePath(options, demo);
        using var shutdown = new Shutdown();
        var metrics = new EngineMetrics();
        NotificationServices? notifications;
        try
        {
            // A dry run executes nothing and changes no durable state.
            notifications = statePath is null ? null : Notifications.Create(statePath, Environment.GetEnvironmentVariable, TimeProvider.System, loggers, metrics,
                usedKinds: UsedKinds(loaded.Rules));
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            return Fail($"cannot open the state store or notification settings: {ex.Message}");
        }

        await using var notificationScope = notifications;

        // Only once every setting has been read: a bad one stays the only line on stderr.
        StartupLog.Summary(loggers.CreateLogger("MqttRules"), options.RulesPath, loaded, settings, statePath, http, dryRun);
        var host = new LiveHost
        {
            Rules = loaded.Rules,
            Settings = settings,
            Loggers = loggers,
            DefaultTimeZone = zone,
            DryRun = dryRun,
            Demo = demo,
            Http = http,
            Metrics = metrics,
            StateStore = (IStateStore?)notifications?.State ?? NullStateStore.Instance,
            ConfigureEngine = o => Composition.ConfigureEngine(loaded.Rules, o) with { MaxSeriesPerRule = maxSeries },
            ExternalActions = notifications?.Outbox,
            Database = notifications?.Database,
        };
        return await RunHostAsync(async () =>
        {
            if (notifications is not null)
            {
                await notifications.StartAsync(shutdown.Token);
            }

            try
            {
                await host.RunAsync(shutdown.Token);
            }
            finally
            {
                if (notifications is not null)
                {
                    await notifications.StopAsync(CancellationToken.None);
                }
            }
        });
    }

    /// <summary>
    /// The state file: <c>--state</c>, else <c>MQTTRULES_STATE</c>, else <c>mqttrules-state.db</c>.
    /// A demo without either starts from a fresh throwaway file, so every demo shows the whole story
    /// and leaves no cooldowns or baselines behind for real use.
    /// </summary>
    internal static string StatePath(CliOptions options, bool demo) =>
        options.GetOrNull("state") ?? (demo
            ? Path.Combine(Path.GetTempPath(), $"mqttrules-demo-{Environment.ProcessId}-{Guid.NewGuid():N}.db")
            : "mqttrules-state.db");

    /// <summary>Runs a live command; fatal broker and configuration errors become exit code 1 with the cause on stderr.</summary>
    internal static async Task<int> RunHostAsync(Func<Task> run)
    {
        try
        {
            await run();
            return 0;
        }
        catch (MqttFatalException ex)
        {
            return Fail(ex.Message);
        }
        catch (ConfigException ex)
        {
            return Fail(ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Fail($"stopped by an unexpected error: {ex}");
        }
    }

    /// <summary>The kinds of action the rules can send (a notify counts as its notifier's channel).</summary>
    internal static HashSet<ActionKind> UsedKinds(RuleSet rules) =>
        rules.Rules.SelectMany(r => r.Actions.Concat(r.OnResolve))
            .Select(a => a is NotifySpec n ? n.Target.Kind : a.Kind)
            .ToHashSet();

    /// <summary>
    /// A client id given on the command line. A dry run or a recording ignores MQTTRULES_CLIENT_ID,
    /// which names the live engine: with it they would take over its session and its queued messages.
    /// </summary>
    internal static string? ExplicitClientId(CliOptions options) => options.GetAll("client-id") is [.., var last] ? last : null;

    /// <summary>Broker URL, client id and the MQTTRULES_* variables (SPEC §2).</summary>
    internal static MqttSettings BrokerSettings(CliOptions options, string clientId) =>
        MqttSettings.FromEnvironment(options.Get("broker", BrokerAddress.Embedded), clientId, Environment.GetEnvironmentVariable);

    private static LoadResult? LoadRules(CliOptions options, bool demo)
    {
        if (demo && !Path.Exists(options.RulesPath))
        {
            Console.Error.WriteLine($"mqttrules: --demo: no rules at '{options.RulesPath}', using the built-in demo rules (water-burst: > 30 L/min for 10 s)");
            var result = RuleLoader.LoadText(DemoRules.Yaml, "demo-rules.yaml");
            return result.Ok ? result : throw new InvalidOperationException("built-in demo rules are invalid: " + string.Join("; ", result.Problems));
        }

        return ValidateCommand.LoadOrReport(options, Console.Error);
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"mqttrules: {Redaction.Current.Text(message)}");
        return 1;
    }
}
