using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using MqttRules.Actions;
using MqttRules.Demo;
using MqttRules.Diagnostics;
using MqttRules.Engine;
using MqttRules.Mqtt;
using MqttRules.Rules;

namespace MqttRules.Hosting;

/// <summary>
/// <c>mqttrules run</c> put together: embedded broker (optional), broker connection, engine loop,
/// action sink, HTTP endpoints and demo meter, started in order and stopped in reverse order.
/// Fatal broker errors surface as <see cref="MqttFatalException"/>, bad settings as <see cref="MqttConfigException"/>.
/// </summary>
public sealed class LiveHost
{
    private static readonly TimeSpan PublishDrainTimeout = TimeSpan.FromSeconds(3);

    public required RuleSet Rules { get; init; }
    public required MqttSettings Settings { get; init; }
    public required ILoggerFactory Loggers { get; init; }
    public TimeZoneInfo DefaultTimeZone { get; init; } = TimeZoneInfo.Utc;
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    public bool DryRun { get; init; }
    public bool Demo { get; init; }
    public HostPort? Http { get; init; }
    public EngineMetrics Metrics { get; init; } = new();

    /// <summary>Adds the pluggable engine parts (state store, baselines, history); see Cli Composition.</summary>
    public Func<EngineOptions, EngineOptions> ConfigureEngine { get; init; } = o => o;

    /// <summary>Durable rule state (firing states, timers, baselines); the SQLite store in <c>run</c>.</summary>
    public State.IStateStore StateStore { get; init; } = State.NullStateStore.Instance;

    /// <summary>Where tweet/webhook/e-mail actions go (the durable outbox); null: logged as not sent.</summary>
    public IActionSink? ExternalActions { get; init; }

    /// <summary>The state file: publishes are journaled there and input is acknowledged only once what it caused is durable; null: in memory.</summary>
    public Storage.StateDatabase? Database { get; init; }

    /// <summary>Runs until <paramref name="ct"/> is cancelled (SIGINT/SIGTERM), then stops cleanly.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var log = Loggers.CreateLogger("MqttRules");
        EmbeddedBroker? embedded = null;
        WebApplication? web = null;
        try
        {
            if (Settings.Broker.IsEmbedded)
            {
                embedded = new EmbeddedBroker(Settings, Loggers.CreateLogger("MqttRules.Broker"), Clock);
                await embedded.StartAsync();
            }

            await RunConnectedAsync(log, w => web = w, ct);
        }
        finally
        {
            if (web is not null)
            {
                await web.StopAsync(CancellationToken.None);
                await web.DisposeAsync();
            }

            if (embedded is not null)
            {
                await embedded.DisposeAsync();
            }
        }
    }

    private async Task RunConnectedAsync(ILogger log, Action<WebApplication> started, CancellationToken ct)
    {
        var loop = new EngineLoop(Clock, log);
        using var stopLoop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var stopSink = new CancellationTokenSource();
        using var stopConnection = new CancellationTokenSource();
        using var stopDemo = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var token = stopLoop.Token;
        await using var connection = new MqttConnection(Settings, m => loop.EnqueueAsync(m, token), log, Clock, Metrics);
        var actionLog = Loggers.CreateLogger("MqttRules.Actions");
        var journal = DryRun || Database is null ? null : new Storage.PublishJournal(Database);
        LiveActionSink? live = DryRun ? null : new LiveActionSink(connection, actionLog, Metrics) { External = ExternalActions, Journal = journal, Clock = Clock };
        IActionSink sink = live is null ? new DryRunActionSink(actionLog, Metrics) : live;
        var stateStore = journal is null ? null : new JournalFirstStateStore(StateStore, live!, log);
        loop.Durability = Database is null || DryRun ? null : new StoreDurability(Database, live, stateStore);
        live?.Resume();
        var engine = new RuleEngine(Rules, sink, ConfigureEngine(new EngineOptions
        {
            Clock = Clock,
            DefaultTimeZone = DefaultTimeZone,
            Metrics = Metrics,
            StateStore = stateStore ?? StateStore,
            Logger = Loggers.CreateLogger("MqttRules.Engine"),
        }));
        Metrics.QueueDepth = () => loop.Depth;
        connection.Filters = engine.Subscriptions;
        log.LogInformation("{Rules} rules loaded{DryRun}; connecting to {Broker}", Rules.Rules.Count,
            DryRun ? " (dry run: actions are logged, not executed)" : "", Settings.Broker.ToString());
        if (Http is { } http)
        {
            started(await HttpEndpoints.StartAsync(http, Metrics, ct));
            log.LogInformation("HTTP: /healthz and /metrics on {Listen}", http.ToString());
        }

        var connTask = connection.RunAsync(stopConnection.Token);
        var loopTask = loop.RunAsync(engine, token);
        var sinkTask = live?.RunAsync(stopSink.Token) ?? Task.CompletedTask;
        var demoTask = Demo ? new WaterMeterSimulator(Settings, Clock, Loggers.CreateLogger("MqttRules.Demo")).RunAsync(stopDemo.Token) : Task.CompletedTask;
        try
        {
            await Task.WhenAny(connTask, loopTask, Task.Delay(Timeout.Infinite, ct));
        }
        catch (OperationCanceledException)
        {
        }

        log.LogInformation("Stopping");
        await stopDemo.CancelAsync();
        await demoTask;
        await stopLoop.CancelAsync();
        await loopTask;
        live?.Complete();
        try
        {
            await sinkTask.WaitAsync(PublishDrainTimeout, Clock, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            await stopSink.CancelAsync();
            await sinkTask;
        }

        live?.Checkpoint();

        await stopConnection.CancelAsync();
        await connTask;
        log.LogInformation("Stopped: {Messages} messages evaluated", Metrics.Messages);
    }
}
