using Microsoft.Extensions.Logging;
using MqttRules.Demo;
using MqttRules.Hosting;
using MqttRules.Loading;
using MqttRules.Mqtt;
using MqttRules.Diagnostics;
using MqttRules.Outbox;
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
        try
        {
            settings = BrokerSettings(options, options.Get("client-id", MqttSettings.DefaultClientId()));
            http = options.GetOrNull("http") is { } addr ? HostPort.Parse(addr, "--http") : null;
        }
        catch (MqttConfigException ex)
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

        using var loggers = Logging.Create();
        using var shutdown = new Shutdown();
        var metrics = new EngineMetrics();
        NotificationServices? notifications;
        try
        {
            // A dry run executes nothing and changes no durable state.
            notifications = dryRun ? null : Notifications.Create(StatePath(options, demo), Environment.GetEnvironmentVariable, TimeProvider.System, loggers, metrics);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            return Fail($"cannot open the state store or notification settings: {ex.Message}");
        }

        await using var notificationScope = notifications;
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
            ConfigureEngine = o => Composition.ConfigureEngine(loaded.Rules, o),
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
        catch (MqttConfigException ex)
        {
            return Fail(ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Fail($"stopped by an unexpected error: {ex}");
        }
    }

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
        Console.Error.WriteLine($"mqttrules: {message}");
        return 1;
    }
}
