using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using MqttRules.Actions;
using MqttRules.Demo;
using MqttRules.Engine;
using MqttRules.Mqtt;
using MqttRules.Outbox;
using MqttRules.Presence;
using MqttRules.Rules;
using MqttRules.State;
using MqttRules.Storage;

namespace MqttRules.Hosting;

/// <summary>
/// One run of an <see cref="EngineHost"/>: the stages in their start order, each pushing how it
/// stops, so that whatever has started stops in the reverse order, also after a failed start.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "StopAsync disposes the connection and the token sources; EngineHost ends every run with it")]
internal sealed partial class HostRun(RuleSet rules, HostOptions options, MqttSettings broker, NotificationSettings? notificationSettings, StateDatabase? db, ILogger log)
{
    private readonly Stack<(string Stage, Func<Task> Stop)> started = new();
    private readonly CancellationTokenSource stopLoop = new();
    private readonly CancellationTokenSource stopSink = new();
    private readonly CancellationTokenSource stopConnection = new();
    private readonly CancellationTokenSource stopDemo = new();
    private readonly CancellationTokenSource stopPresence = new();
    private readonly Status.RecentEvents events = new(options.Clock);
    private NotificationServices? outbox;
    private EngineLoop? loop;
    private MqttConnection? connection;
    private LiveActionSink? live;
    private PresencePublisher? presence;
    private RuleEngine? engine;
    private RuleReloader? reloader;
    private DecisionTrace? trace;
    private EnabledStatePublisher? states;
    private Task connectionTask = Task.CompletedTask;
    private Task loopTask = Task.CompletedTask;
    private bool connectionOwnedByStage;

    public async Task StartAsync(CancellationToken ct)
    {
        if (db is { } state)
        {
            // Opened when the host was built; this run closes it last.
            started.Push(("state", () => Close(state)));
        }

        await StageAsync("outbox", () => StartOutboxAsync(ct));
        Compose();
        await StageAsync("http", () => StartHttpAsync(ct));
        await StageAsync("broker", StartBrokerAsync);
        await StageAsync("presence", StartPresenceAsync);
        await StageAsync("engine", StartEngineAsync);
        await StageAsync("watch", StartWatchAsync);
        await StageAsync("demo", StartDemoAsync);
        _ = StartupTrim.RunAsync(options.Clock, log, stopLoop.Token);
    }

    /// <summary>Until <paramref name="ct"/> is cancelled, or the connection or the engine loop ends (a fatal error).</summary>
    public async Task WaitAsync(CancellationToken ct)
    {
        try
        {
            await Task.WhenAny(connectionTask, loopTask, Task.Delay(Timeout.Infinite, ct));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Stops every started stage, last started first; returns the first failure, after all have been stopped.</summary>
    public async Task<ExceptionDispatchInfo?> StopAsync()
    {
        ExceptionDispatchInfo? failure = null;
        while (started.TryPop(out var stage))
        {
            try
            {
                await stage.Stop();
            }
            catch (Exception ex)
            {
                failure ??= ExceptionDispatchInfo.Capture(ex);
            }

            HostingLog.StageStopped(log, stage.Stage);
        }

        if (connection is not null && !connectionOwnedByStage)
        {
            // Composed, but the broker stage never started (an earlier stage failed).
            await connection.DisposeAsync();
        }

        foreach (var cts in new[] { stopLoop, stopSink, stopConnection, stopDemo, stopPresence })
        {
            cts.Dispose();
        }

        return failure;
    }

    private async Task StageAsync(string name, Func<Task<Func<Task>?>> start)
    {
        if (await start() is { } stop)
        {
            started.Push((name, stop));
            HostingLog.StageStarted(log, name);
        }
    }

    private static Task Close(StateDatabase db)
    {
        db.Dispose();
        return Task.CompletedTask;
    }

    private async Task<Func<Task>?> StartOutboxAsync(CancellationToken ct)
    {
        if (db is null || notificationSettings is null)
        {
            return null;
        }

        outbox = Notifications.Create(db, notificationSettings, options.Clock, options.Loggers.CreateLogger("MqttRules.Outbox"), options.Metrics, options.HttpHandler);
        await outbox.StartAsync(ct);
        return async () =>
        {
            await outbox.StopAsync(CancellationToken.None);
            await outbox.DisposeAsync();
        };
    }

    /// <summary>The in-memory parts (nothing opens or connects here): loop, connection, action sinks, engine.</summary>
    private void Compose()
    {
        loop = new EngineLoop(options.Clock, log);
        var token = stopLoop.Token;
        var intake = loop;
        connection = new MqttConnection(options.DryRun ? broker : broker with { StatusTopic = new PresenceTopics(broker.TopicPrefix).Status },
            m => intake.EnqueueAsync(m, token), log, options.Clock, options.Metrics);
        presence = ComposePresence(connection);
        var actionLog = options.Loggers.CreateLogger("MqttRules.Actions");
        var journal = db is null ? null : new PublishJournal(db);
        live = options.DryRun ? null : new LiveActionSink(connection, actionLog, options.Metrics) { External = outbox?.Outbox, Journal = journal, Clock = options.Clock };
        IActionSink sink = live is null ? new DryRunActionSink(actionLog, options.Metrics) : live;
        IStateStore store = db is null ? NullStateStore.Instance : new SqliteStateStore(db);
        states = new EnabledStatePublisher(connection, loop, broker.TopicPrefix, options.Clock, log);
        var journaled = journal is null || live is null ? null : new JournalFirstStateStore(store, live, log);
        loop.Durability = db is null ? null : new StoreDurability(db, live, journaled);
        trace = options.Http is null && options.Trace.Count == 0 ? null
            : new DecisionTrace(rules.Rules.Select(r => r.Id), keep: options.Http is not null, options.Trace.ToHashSet(StringComparer.Ordinal), options.Loggers.CreateLogger("MqttRules.Trace"))
            {
                Events = options.Http is null ? null : events,
            };
        engine = new RuleEngine(rules, sink, EngineComposition.ForRules(rules, new EngineOptions
        {
            Clock = options.Clock,
            DefaultTimeZone = options.DefaultTimeZone,
            Metrics = options.Metrics,
            StateStore = journaled ?? store,
            SavesAtCommit = journaled is not null, // the engine loop saves before each commit of the state file
            Logger = options.Loggers.CreateLogger("MqttRules.Engine"),
            MaxSeriesPerRule = options.MaxSeriesPerRule,
            Decisions = trace,
            HeldAlerts = db is null ? null : new Notifiers.SqliteHeldAlerts(db),
            Events = presence,
            LifecycleStore = db is null ? Lifecycle.NullLifecycleStore.Instance : new SqliteLifecycleStore(db),
            CommandPrefix = broker.TopicPrefix,
            // A dry run beside the live engine must not overwrite its retained switch states.
            EnabledChanged = options.DryRun ? null : states.Changed,
            SubscriptionsChanged = states.SubscriptionsChanged,
        }));
        options.Metrics.QueueDepth = () => intake.Depth;
        connection.Filters = engine.Subscriptions;
        reloader = options.RulesPath is { } path ? new RuleReloader(path, options, loop, connection, log) { RulesChanged = presence is null ? null : presence.Rules } : null;
        options.Metrics.RulesLoaded(true, options.Clock.GetUtcNow());
        HostingLog.RulesLoaded(log, rules.Rules.Count, options.DryRun ? " (dry run: actions are logged, not executed)" : "", broker.Broker.ToString());
    }

    private async Task<Func<Task>?> StartHttpAsync(CancellationToken ct)
    {
        if (options.Http is not { } http)
        {
            return null;
        }

        var status = new Status.StatusApi(options.Metrics, outbox?.Store, events, () => engine!.CurrentRules, options.Clock);
        var web = await HttpEndpoints.StartAsync(http, options.Metrics, ct, new RuleApi(loop!, trace!, options.Clock), status, Writes(http));
        HostingLog.HttpListening(log, http.ToString());
        return async () =>
        {
            await web.StopAsync(CancellationToken.None);
            await web.DisposeAsync();
        };
    }

    private Task<Func<Task>?> StartWatchAsync()
    {
        if (!options.Watch || options.RulesPath is not { } path)
        {
            return Task.FromResult<Func<Task>?>(null);
        }

        var watcher = new RuleWatcher(path, options.WatchDebounce, options.Clock, () => ReloadAsync("a rule file changed"));
        HostingLog.Watching(log, path);
        return Task.FromResult<Func<Task>?>(() =>
        {
            watcher.Dispose();
            return Task.CompletedTask;
        });
    }

    private async Task<Func<Task>?> StartBrokerAsync()
    {
        EmbeddedBroker? embedded = null;
        if (broker.Broker.IsEmbedded)
        {
            embedded = new EmbeddedBroker(broker, options.Loggers.CreateLogger("MqttRules.Broker"), options.Clock);
            try
            {
                await embedded.StartAsync();
            }
            catch
            {
                await embedded.DisposeAsync();
                throw;
            }
        }

        var conn = connection!;
        connectionOwnedByStage = true;
        connectionTask = conn.RunAsync(stopConnection.Token);
        return async () =>
        {
            try
            {
                await stopConnection.CancelAsync();
                await connectionTask;
            }
            finally
            {
                await conn.DisposeAsync();
                if (embedded is not null)
                {
                    await embedded.DisposeAsync();
                }
            }
        };
    }

    private Task<Func<Task>?> StartEngineAsync()
    {
        live?.Resume();
        loopTask = loop!.RunAsync(engine!, stopLoop.Token);
        var sinkTask = live?.RunAsync(stopSink.Token) ?? Task.CompletedTask;
        var statesTask = states!.RunAsync(stopLoop.Token);
        return Task.FromResult<Func<Task>?>(() => StopEngineAsync(sinkTask, statesTask));
    }

    /// <summary>Evaluation stops and state is saved; rendered publishes get the drain timeout, then the journal is checkpointed.</summary>
    private async Task StopEngineAsync(Task sinkTask, Task statesTask)
    {
        await stopLoop.CancelAsync();
        await loopTask;
        await statesTask;
        live?.Complete();
        try
        {
            await sinkTask.WaitAsync(options.PublishDrainTimeout, options.Clock, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            await stopSink.CancelAsync();
            await sinkTask;
        }

        live?.Checkpoint();
    }

    private Task<Func<Task>?> StartDemoAsync()
    {
        if (!options.Demo)
        {
            return Task.FromResult<Func<Task>?>(null);
        }

        var demo = new WaterMeterSimulator(broker, options.Clock, options.Loggers.CreateLogger("MqttRules.Demo")).RunAsync(stopDemo.Token);
        return Task.FromResult<Func<Task>?>(async () =>
        {
            await stopDemo.CancelAsync();
            await demo;
        });
    }
}
