using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using MqttRules.Mqtt;
using MqttRules.Outbox;
using MqttRules.Rules;
using MqttRules.Storage;

namespace MqttRules.Hosting;

/// <summary>
/// The live engine (<c>mqttrules run</c>) put together once, from <see cref="EngineHostBuilder"/>.
/// Stages start in this order, each after the previous one has started:
/// <list type="number">
/// <item><c>state</c>: the state file (rule state, outbox, publish journal) is opened once, when the host is
/// built, so an unusable file is reported with the configuration errors, before anything starts; none when nothing is durable.</item>
/// <item><c>outbox</c>: delivery of tweets, webhooks and e-mail starts, rows left by the last run first.</item>
/// <item><c>http</c>: <c>/healthz</c> and <c>/metrics</c> listen (when configured), so a probe sees "disconnected" while connecting.</item>
/// <item><c>broker</c>: the embedded broker (when used) listens; the connection connects and subscribes, retrying with backoff.</item>
/// <item><c>presence</c>: engine events, firing states and Home Assistant discovery are sent on their own task (only when configured; the
/// retained <c>P/status</c> and its Last Will belong to the connection).</item>
/// <item><c>engine</c>: publishes not acknowledged before the last stop are queued again, rule state is restored, evaluation and publishing start.</item>
/// <item><c>demo</c>: the simulated meter (<c>--demo</c> only).</item>
/// </list>
/// They stop in the reverse order when the token is cancelled (or the connection or the engine ends
/// on a fatal error): the demo; the engine (evaluation stops, state is saved, rendered publishes get
/// <see cref="HostOptions.PublishDrainTimeout"/> to reach the broker, the rest stays journaled);
/// presence (1 s for what is queued); the broker connection (a retained <c>offline</c>, then DISCONNECT); HTTP; the outbox (in-flight deliveries get their stop timeout, undelivered
/// rows stay); the state file. The broker is started before the engine because the engine publishes
/// through it, and stops after it, so the engine's last publishes still go out.
/// Fatal broker errors surface as <see cref="MqttFatalException"/>, bad settings as <see cref="Configuration.ConfigException"/>.
/// </summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly RuleSet rules;
    private readonly HostOptions options;
    private readonly NotificationSettings? notificationSettings;
    private readonly ILogger log;
    private StateDatabase? state;
    private volatile HostRun? current;
    private bool ran;

    internal EngineHost(RuleSet rules, HostOptions options, NotificationSettings? notificationSettings, StateDatabase? state, ILogger log)
    {
        this.state = state;
        this.log = log;
        this.rules = rules;
        this.options = options;
        this.notificationSettings = notificationSettings;
    }

    /// <summary>The validated options the host runs with (the broker settings resolved).</summary>
    public HostOptions Options => options;

    /// <summary>Runs until <paramref name="ct"/> is cancelled (SIGINT/SIGTERM), then stops cleanly; once per host.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (ran)
        {
            throw new InvalidOperationException("an engine host runs once; build another one");
        }

        ran = true;
        var run = new HostRun(rules, options, options.Broker!, notificationSettings, state, log);
        current = run;
        state = null;
        ExceptionDispatchInfo? failure = null;
        try
        {
            await run.StartAsync(ct);
            await run.WaitAsync(ct);
            HostingLog.Stopping(log);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped while starting: what has started stops below, as on any stop.
        }
        catch (Exception ex)
        {
            failure = ExceptionDispatchInfo.Capture(ex);
        }

        current = null;
        var stopFailure = await run.StopAsync();
        failure ??= stopFailure;
        failure?.Throw();
        HostingLog.Stopped(log, options.Metrics.Messages);
    }

    /// <summary>
    /// Reloads the rules from <see cref="HostOptions.RulesPath"/> (SIGHUP): validated first, swapped
    /// between two messages keeping the state of unchanged rules; null when the host is not running.
    /// </summary>
    public Task<ReloadOutcome?> ReloadAsync(string trigger) =>
        current is { } run ? run.ReloadAsync(trigger) : Task.FromResult<ReloadOutcome?>(null);

    /// <summary>Closes the state file when the host was built but never run.</summary>
    public ValueTask DisposeAsync()
    {
        state?.Dispose();
        state = null;
        return ValueTask.CompletedTask;
    }
}
