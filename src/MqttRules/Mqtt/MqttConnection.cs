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
public sealed partial class MqttConnection : IMqttPublisher, IAsyncDisposable
{
    public static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

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

    /// <param name="onMessage">Receives every message; with it, QoS 1/2 messages wait for <see cref="IncomingMessage.AcknowledgeAsync"/>.</param>
    public MqttConnection(MqttSettings settings, Func<IncomingMessage, ValueTask>? onMessage, ILogger logger, TimeProvider? clock = null, EngineMetrics? metrics = null)
    {
        this.settings = settings;
        this.onMessage = onMessage;
        this.logger = logger;
        this.clock = clock ?? TimeProvider.System;
        this.metrics = metrics;
        options = ClientOptionsFactory.Create(settings);
        if (settings.Broker.Tls && settings.TlsInsecure)
        {
            logger.LogWarning("MQTTRULES_TLS_INSECURE=true: the broker's certificate is not verified");
        }
        client = new MqttClientFactory().CreateMqttClient(new BufferedAdapterFactory());
        client.ApplicationMessageReceivedAsync += OnReceived;
        client.DisconnectedAsync += OnDisconnected;
    }

    /// <summary>The topic filters to subscribe on every connect; set before <see cref="RunAsync"/>.</summary>
    public IReadOnlyList<string> Filters { get; set; } = [];

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
        var attempts = 0;
        var everConnected = false;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (!await TryConnectAsync(++attempts, backoff, ct))
                {
                    backoff = await BackoffAsync(backoff, ct);
                    continue;
                }

                (backoff, attempts) = (InitialBackoff, 0);
                if (everConnected)
                {
                    metrics?.Reconnected();
                }

                everConnected = true;
                await WaitForDisconnectAsync(ct);
                SetConnected(false);
                logger.LogWarning("Lost the connection to {Broker} ({Reason}); reconnecting", settings.Broker.ToString(), disconnectReason ?? "closed by the broker");
                backoff = await BackoffAsync(TimeSpan.Zero, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>One connect and subscribe; false when it should be retried, fatal errors throw.</summary>
    private async Task<bool> TryConnectAsync(int attempt, TimeSpan backoff, CancellationToken ct)
    {
        lock (gate)
        {
            disconnected = NewSignal();
        }

        MqttClientConnectResult result;
        try
        {
            result = await client.ConnectAsync(options, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            if (Find<AuthenticationException>(ex) is { } tls)
            {
                throw new MqttFatalException(
                    $"TLS certificate of {settings.Broker} is not trusted ({tls.Message}); set MQTTRULES_CA_FILE to the CA that signed it (or MQTTRULES_TLS_INSECURE=true for testing only)", ex);
            }

            LogUnreachable(attempt, backoff, ex);
            return false;
        }

        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            if (result.ResultCode is MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized or MqttClientConnectResultCode.BadAuthenticationMethod)
            {
                throw new MqttFatalException(
                    $"authentication refused by {settings.Broker} ({result.ResultCode}); check the username/password (broker URL, MQTTRULES_USERNAME / MQTTRULES_PASSWORD)");
            }

            logger.LogWarning("Broker {Broker} refused the connection ({Code}: {Reason}); retrying in {Delay:0.#} s",
                settings.Broker.ToString(), result.ResultCode, result.ReasonString, backoff.TotalSeconds);
            return false;
        }

        ReceiveMaximum = result.ReceiveMaximum is { } max and > 0 ? max : ushort.MaxValue;
        if (!await TrySubscribeAsync(result.IsSessionPresent, ct))
        {
            return false;
        }

        logger.LogInformation("Connected to {Broker} as {ClientId} ({Protocol}, session {Session})",
            settings.Broker.ToString(), settings.ClientId, settings.UseV311 ? "MQTT 3.1.1" : "MQTT 5",
            result.IsSessionPresent ? "resumed" : "new");
        SetConnected(true);
        return true;
    }

    private async Task<bool> TrySubscribeAsync(bool sessionPresent, CancellationToken ct)
    {
        try
        {
            await SubscribeAsync(sessionPresent, ct);
            return true;
        }
        catch (MqttProtocolViolationException ex)
        {
            throw new MqttConfigException($"cannot subscribe to {string.Join(", ", Filters)}: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning("Subscribing failed ({Error}); reconnecting", ex.Message);
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
            logger.LogDebug("Disconnect: {Error}", ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await SafeDisconnectAsync();
        client.Dispose();
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

    private void LogUnreachable(int attempts, TimeSpan backoff, Exception ex)
    {
        var reason = (Find<System.Net.Sockets.SocketException>(ex) as Exception ?? ex.InnerException ?? ex).Message;
        var level = attempts <= 1 || backoff >= MaxBackoff ? LogLevel.Warning : LogLevel.Debug;
        logger.Log(level, "Broker {Broker} unreachable ({Reason}); retrying in {Delay:0.#} s", settings.Broker.ToString(), reason, backoff.TotalSeconds);
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
