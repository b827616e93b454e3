using System.Buffers;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;
using MqttRules.Diagnostics;

namespace MqttRules.Mqtt;

/// <summary>
/// Our own connection loop (MQTTnet 5 has no managed client): connect with a persistent session,
/// subscribe, wait for the connection to drop, reconnect with backoff (capped at 30 s, reset on
/// success). An unreachable broker is retried forever; a refused login or an untrusted
/// certificate ends <see cref="RunAsync"/> with <see cref="MqttFatalException"/>.
/// </summary>
internal sealed partial class MqttConnection : IMqttPublisher, IAsyncDisposable
{
    public static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>A connection the broker closes sooner than this counts as closed right after connecting.</summary>
    public static readonly TimeSpan StableAfter = TimeSpan.FromMinutes(1);

    /// <summary>How many closes right after connecting, in a row, are reported as a client id in use.</summary>
    public const int ShortLivedBeforeReport = 3;

    private readonly MqttSettings settings;
    private readonly ILogger logger;
    private readonly TimeProvider clock;
    private readonly EngineMetrics? metrics;
    private readonly IMqttClient client;
    private readonly MqttClientOptions options;
    private readonly Func<IncomingMessage, ValueTask>? onMessage;
    private readonly object gate = new();
    private TaskCompletionSource connected = NewSignal();
    private TaskCompletionSource disconnected = NewSignal();
    private string? disconnectReason;
    private bool takenOver;
    private string? brokerError;
    private readonly Outage outage;
    private SubscriptionPlan? plan;
    private bool planWithIds;
    private readonly PingBarrier barrier;
    private readonly OrderedHandOff<IncomingMessage>? handOff;

    /// <param name="onMessage">Receives every message; with it, QoS 1/2 messages wait for <see cref="IncomingMessage.AcknowledgeAsync"/>.</param>
    public MqttConnection(MqttSettings settings, Func<IncomingMessage, ValueTask>? onMessage, ILogger logger, TimeProvider? clock = null, EngineMetrics? metrics = null)
    {
        this.settings = settings;
        this.onMessage = onMessage;
        this.logger = logger;
        this.clock = clock ?? TimeProvider.System;
        this.metrics = metrics;
        outage = new Outage(this.clock);
        options = ClientOptionsFactory.Create(settings);
        if (settings.Broker.Tls && settings.TlsInsecure)
        {
            ClientLog.TlsInsecure(logger);
        }
        handOff = onMessage is null ? null : new OrderedHandOff<IncomingMessage>(onMessage, ex => ClientLog.HandOffFailed(logger, ex));
        // The adapter that takes the messages keeps the connection alive too, without MQTTnet's 250 ms loop.
        var keepAlive = options.KeepAlivePeriod;
        if (handOff is not null && BufferedAdapterFactory.Serves(options))
        {
            options.KeepAlivePeriod = TimeSpan.Zero;
        }

        var adapters = new BufferedAdapterFactory(handOff is null ? null : TakePublish, keepAlive);
        client = new MqttClientFactory().CreateMqttClient(adapters);
        client.ApplicationMessageReceivedAsync += OnReceived;
        client.DisconnectedAsync += OnDisconnected;
        // Real time, whatever the engine's clock: the gathering is the transport's, like the keep-alive.
        barrier = new PingBarrier(ct => Ping(adapters.Current, ct), PingBarrier.DefaultGather, PingBarrier.DefaultLatest, TimeProvider.System);
    }

    /// <summary>The topic filters to subscribe on every connect; set before <see cref="RunAsync"/>.</summary>
    public IReadOnlyList<string> Filters { get; set; } = [];

    /// <summary>
    /// MQTT 5 subscription identifiers where the broker supports them (see <see cref="SubscriptionPlan"/>);
    /// false: a covering set of filters on every protocol (for <c>record</c>, which keeps one copy per message).
    /// </summary>
    public bool UseSubscriptionIdentifiers { get; init; } = true;

    public bool IsConnected => client.IsConnected && connected.Task.IsCompleted;

    public int ReceiveMaximum { get; private set; } = ushort.MaxValue;

    public Task WaitConnectedAsync(CancellationToken ct)
    {
        lock (gate)
        {
            return connected.Task.WaitAsync(ct);
        }
    }

    /// <summary>Connects and stays connected until <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = InitialBackoff;
        var everConnected = false;
        var shortLived = 0;
        var quickClose = false;
        var fightReported = false;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (!await TryConnectAsync(backoff, ct))
                {
                    // A broker that went away (a restart) is not a client id in use.
                    shortLived = 0;
                    quickClose = false;
                    backoff = await BackoffAsync(backoff, ct);
                    continue;
                }

                outage.Recovered();
                if (!quickClose)
                {
                    backoff = InitialBackoff;
                }

                if (everConnected)
                {
                    metrics?.Reconnected();
                }

                everConnected = true;
                var upSince = clock.GetUtcNow();
                await WaitForDisconnectAsync(ct);
                SetConnected(false);
                outage.Lost();

                // A connection the broker closes soon after it was made, again and again, is what
                // another client with the same id causes: each connect takes the other's session.
                // Such closes keep the backoff growing instead of reconnecting at once.
                var stable = clock.GetUtcNow() - upSince >= StableAfter;
                quickClose = !stable;
                shortLived = stable || BrokerNamedError() ? 0 : shortLived + 1;
                fightReported &= !stable;
                if (TakeoverCause(shortLived) is { } how && !fightReported)
                {
                    ConnectionLog.ClientIdInUse(logger, settings.ClientId, how);
                    fightReported = true;
                }
                else
                {
                    ClientLog.ConnectionLost(logger, fightReported ? LogLevel.Debug : LogLevel.Warning,
                        settings.Broker.ToString(), disconnectReason ?? "closed by the broker");
                }

                backoff = await BackoffAsync(stable ? TimeSpan.Zero : backoff, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Whether the broker's DISCONNECT named an error of ours (not a session takeover).</summary>
    private bool BrokerNamedError()
    {
        lock (gate)
        {
            return brokerError is not null;
        }
    }

    /// <summary>Why the session looks taken over by a client with the same id, or null.</summary>
    private string? TakeoverCause(int shortLived)
    {
        lock (gate)
        {
            if (takenOver)
            {
                return "took the session over for another connection (reason 0x8E, session taken over)";
            }
        }

        return shortLived >= ShortLivedBeforeReport
            ? $"closed the connection {shortLived} times within a minute of connecting, as it does when another client connects with the same id"
            : null;
    }

    /// <summary>One connect and subscribe; false when it should be retried, fatal errors throw.</summary>
    private async Task<bool> TryConnectAsync(TimeSpan backoff, CancellationToken ct)
    {
        lock (gate)
        {
            disconnected = NewSignal();
            takenOver = false;
            brokerError = null;
        }

        MqttClientConnectResult result;
        try
        {
            result = await client.ConnectAsync(options, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            if (Find<AuthenticationException>(ex) is { } tls && tls.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase))
            {
                throw new MqttFatalException(
                    $"TLS certificate of {settings.Broker} is not trusted ({tls.Message}); set MQTTRULES_CA_FILE to the CA that signed it (or MQTTRULES_TLS_INSECURE=true for testing only)", ex);
            }

            LogUnreachable(backoff, ex);
            return false;
        }

        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            if (result.ResultCode is MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized or MqttClientConnectResultCode.BadAuthenticationMethod)
            {
                throw new MqttFatalException(
                    $"authentication refused by {settings.Broker} ({result.ResultCode}); check the username/password (broker URL, MQTTRULES_USERNAME / MQTTRULES_PASSWORD)");
            }

            ClientLog.Refused(logger,
                settings.Broker.ToString(), result.ResultCode, result.ReasonString, backoff.TotalSeconds);
            return false;
        }

        ReceiveMaximum = result.ReceiveMaximum is { } max and > 0 ? max : ushort.MaxValue;
        MaximumPacketSize = settings.UseV311 ? 0 : result.MaximumPacketSize ?? 0;
        var current = Plan(!settings.UseV311 && result.SubscriptionIdentifiersAvailable);
        if (!await TrySubscribeAsync(current, result.IsSessionPresent, ct))
        {
            return false;
        }

        ClientLog.Connected(logger,
            settings.Broker.ToString(), settings.ClientId, settings.UseV311 ? "MQTT 3.1.1" : "MQTT 5",
            result.IsSessionPresent ? "resumed" : "new");
        await AnnounceAsync(ClientOptionsFactory.StatusOnline, ct);
        SetConnected(true);
        AfterConnect?.Invoke();
        return true;
    }

    /// <summary>The subscriptions for this connection; what they cost is logged once.</summary>
    /// <param name="replan">For new <see cref="Filters"/> (a reload): the plan replaced stays <see cref="SubscriptionPlan.Previous"/>.</param>
    private SubscriptionPlan Plan(bool identifiersAvailable, bool replan = false)
    {
        var withIds = UseSubscriptionIdentifiers && identifiersAvailable;
        if (!replan && plan is { } known && planWithIds == withIds)
        {
            return known;
        }

        var made = withIds ? SubscriptionPlan.WithIdentifiers(Filters) : SubscriptionPlan.Covering(Filters);
        if (replan && plan is { } replaced)
        {
            // Not replaced.Previous = null: the receive loop may be routing a copy through the
            // replaced plan right now, one still carrying an identifier of the plan before it.
            made.Previous = replaced.Detached();
        }

        if (withIds && made.Packets.Any(p => p.Via is not null))
        {
            ConnectionLog.UsingIdentifiers(logger);
        }

        foreach (var note in made.Notes)
        {
            ConnectionLog.SubscriptionNote(logger, note);
        }

        foreach (var warning in made.Warnings)
        {
            ConnectionLog.SubscriptionOverlap(logger, warning);
        }

        (plan, planWithIds) = (made, withIds);
        return made;
    }

    private async Task<bool> TrySubscribeAsync(SubscriptionPlan current, bool sessionPresent, CancellationToken ct)
    {
        try
        {
            await SubscribeAsync(current, sessionPresent, ct);
            return true;
        }
        catch (MqttProtocolViolationException ex)
        {
            throw new MqttConfigException($"cannot subscribe to {string.Join(", ", Filters)}: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            ClientLog.SubscribeFailed(logger, ex.Message);
            await SafeDisconnectAsync();
            return false;
        }
    }

    private Task WaitForDisconnectAsync(CancellationToken ct)
    {
        lock (gate)
        {
            return disconnected.Task.WaitAsync(ct);
        }
    }

    /// <summary>Leaves politely; the session (and what the broker queues for us) survives.</summary>
    public async Task SafeDisconnectAsync()
    {
        if (!client.IsConnected)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), clock);
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token);
        }
        catch (Exception ex)
        {
            ClientLog.DisconnectFailed(logger, ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await AnnounceOfflineAsync();
        await SafeDisconnectAsync();
        client.Dispose();
    }

    /// <summary>
    /// A ping on the connection: our own PINGREQ through the adapter when there is one (answered on
    /// the receive loop's thread), MQTTnet's otherwise (a connection without the direct hand-off).
    /// </summary>
    private Task Ping(DirectPublishAdapter? adapter, CancellationToken ct)
    {
        if (adapter is null)
        {
            return client.PingAsync(ct);
        }

        return client.IsConnected ? adapter.PingAsync() : Task.FromException(new MqttClientNotConnectedException());
    }

    private void SetConnected(bool up)
    {
        if (metrics is not null)
        {
            metrics.BrokerConnected = up;
        }

        lock (gate)
        {
            if (up)
            {
                connected.TrySetResult();
            }
            else if (connected.Task.IsCompleted)
            {
                connected = NewSignal();
            }
        }
    }

    private async Task<TimeSpan> BackoffAsync(TimeSpan current, CancellationToken ct)
    {
        try
        {
            if (current > TimeSpan.Zero)
            {
                await Task.Delay(current, clock, ct);
            }
        }
        catch (OperationCanceledException)
        {
            return current;
        }

        var next = current == TimeSpan.Zero ? InitialBackoff : current * 2;
        return next > MaxBackoff ? MaxBackoff : next;
    }

    private void LogUnreachable(TimeSpan backoff, Exception ex)
    {
        var reason = (Find<System.Net.Sockets.SocketException>(ex) as Exception ?? ex.InnerException ?? ex).Message + TlsHint(ex);
        if (outage.Failed(backoff) is { } down)
        {
            ConnectionLog.Unreachable(logger, settings.Broker.ToString(), down < TimeSpan.FromSeconds(1) ? "" : $" for {Outage.Format(down)}", reason, backoff.TotalSeconds);
        }
        else
        {
            ConnectionLog.StillUnreachable(logger, settings.Broker.ToString(), reason, backoff.TotalSeconds);
        }
    }

    /// <summary>A TLS client against a plain listener (or the reverse) fails in the handshake, not with a refusal: say so.</summary>
    private string TlsHint(Exception ex)
    {
        // Refused or unroutable: nothing listens there; a reset after the connect is what a listener
        // that does not speak TLS does with a ClientHello.
        if (Find<System.Net.Sockets.SocketException>(ex) is { } socket && socket.SocketErrorCode != System.Net.Sockets.SocketError.ConnectionReset)
        {
            return "";
        }

        if (settings.Broker.Tls)
        {
            return $"; the TLS handshake failed: is port {settings.Broker.Port} a TLS listener? mqtts:// needs one, use mqtt:// for a plain listener";
        }

        return ex is MqttCommunicationException
            ? $"; if port {settings.Broker.Port} is a TLS listener, use mqtts://"
            : "";
    }

    private static T? Find<T>(Exception? ex)
        where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T t)
            {
                return t;
            }
        }

        return null;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
