using MqttRules.Configuration;
using MqttRules.Demo;
using MqttRules.Engine;
using MqttRules.Hosting;
using MqttRules.Loading;
using MqttRules.Mqtt;
using MqttRules.Diagnostics;

namespace MqttRules.Cli;

/// <summary><c>mqttrules run</c>: the live engine until SIGINT/SIGTERM; exit 0 on a clean stop, 1 on a fatal start-up error.</summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(CliOptions options)
    {
        var demo = options.GetBool("demo");
        HostOptions hostOptions;
        try
        {
            hostOptions = Options(options, demo);
        }
        catch (ConfigException ex)
        {
            return Fail(ex.Message);
        }

        if (demo && !hostOptions.Broker!.Broker.IsEmbedded)
        {
            throw new UsageException("--demo simulates a meter on the embedded broker; use it with --broker embedded");
        }

        if (LoadRules(options, demo) is not { } loaded)
        {
            return 1;
        }

        using var loggers = Logging.Create(options);
        EngineHost host;
        try
        {
            // Reads the secrets and opens the state file: every start-up error comes before the summary line.
            host = new EngineHostBuilder(loaded.Rules).Configure(_ => hostOptions with { Loggers = loggers }).Build();
        }
        catch (ConfigException ex)
        {
            return Fail(ex.Message);
        }

        // Only once every setting has been read: a bad one stays the only line on stderr.
        await using var running = host;
        var o = host.Options;
        StartupLog.Summary(loggers.CreateLogger("MqttRules"), options.RulesPath, loaded, o.Broker!, o.Durable ? o.StatePath : null, o.Http, o.DryRun);
        using var shutdown = new Shutdown { Reload = () => _ = host.ReloadAsync("SIGHUP") };
        return await RunHostAsync(() => host.RunAsync(shutdown.Token));
    }

    /// <summary>The flags and variables of <c>run</c> as host options (SPEC §2); a bad value throws a <see cref="ConfigException"/> naming it.</summary>
    internal static HostOptions Options(CliOptions options, bool demo)
    {
        var dryRun = options.GetBool("dry-run");
        var settings = dryRun
            ? BrokerSettings(options, ExplicitClientId(options) ?? MqttSettings.UniqueClientId("mqttrules-dryrun")) with { PersistentSession = false }
            : BrokerSettings(options, options.Get("client-id", MqttSettings.DefaultClientId()));
        return new HostOptions
        {
            Broker = settings,
            MaxSeriesPerRule = SeriesLimitSetting.FromEnvironment(options.Env),
            Http = options.GetOrNull("http") is { } addr ? HostPort.Parse(addr, "--http") : null,
            StatePath = dryRun ? null : StatePath(options, demo),
            DryRun = dryRun,
            Demo = demo,
            RulesPath = demo && !Path.Exists(options.RulesPath) ? null : options.RulesPath,
            Watch = options.GetBool("watch"),
            DefaultTimeZone = options.TimeZone(),
            Environment = options.Env,
            Trace = Traced(options),
        };
    }

    /// <summary><c>--trace RULE</c> (repeatable), else <c>MQTTRULES_TRACE</c> (comma-separated ids).</summary>
    private static string[] Traced(CliOptions options)
    {
        var given = options.GetAll("trace");
        var ids = given.Count > 0 ? given : (options.GetOrNull("trace") ?? "").Split(',');
        return [.. ids.Select(id => id.Trim()).Where(id => id.Length > 0).Distinct(StringComparer.Ordinal)];
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

    /// <summary>
    /// A client id given on the command line. A dry run or a recording ignores MQTTRULES_CLIENT_ID,
    /// which names the live engine: with it they would take over its session and its queued messages.
    /// </summary>
    internal static string? ExplicitClientId(CliOptions options) => options.GetAll("client-id") is [.., var last] ? last : null;

    /// <summary>Broker URL, client id and the MQTTRULES_* variables (SPEC §2).</summary>
    internal static MqttSettings BrokerSettings(CliOptions options, string clientId) =>
        MqttSettings.FromEnvironment(options.Get("broker", BrokerAddress.Embedded), clientId, options.Env);

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
