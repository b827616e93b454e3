using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace MqttRules.Mqtt;

/// <summary>
/// The broker inside the process (<c>--broker embedded</c>): devices and the engine connect to it
/// like to any broker. A login is required when embedded credentials are configured.
/// </summary>
internal sealed class EmbeddedBroker : IAsyncDisposable
{
    private readonly MqttServer server;
    private readonly MqttSettings settings;
    private readonly ILogger logger;
    private readonly EmbeddedRefusals refusals;

    /// <summary>How often the broker looks for clients whose keep-alive has run out.</summary>
    internal static readonly TimeSpan KeepAliveCheck = TimeSpan.FromSeconds(5);

    public EmbeddedBroker(MqttSettings settings, ILogger logger, TimeProvider? clock = null)
    {
        this.settings = settings;
        this.logger = logger;
        var factory = new MqttServerFactory();
        var limits = settings.EmbeddedLimits;
        var options = factory.CreateServerOptionsBuilder()
            .WithoutDefaultEndpoint()
            .WithPersistentSessions()
            .WithMaxPendingMessagesPerClient(limits.MaxQueuedPerClient)
            .Build();

        // Clients silent for 1.5 keep-alive periods are dropped; MQTTnet's thread looks every 0.5 s by
        // default, which is what woke an idle engine most after its own timers. Looking every 5 s
        // drops a dead client at most 4.5 s later (keep-alive periods are tens of seconds).
        options.KeepAliveOptions.MonitorInterval = KeepAliveCheck;
        refusals = new EmbeddedRefusals(logger, limits, clock ?? TimeProvider.System);
        var listener = new EmbeddedListener(settings.EmbeddedListen, limits, refusals, clock ?? TimeProvider.System);
        server = factory.CreateMqttServer(options, [listener]);
        server.ValidatingConnectionAsync += Validate;
        server.ValidatingConnectionAsync += LimitSessionsAsync;
    }

    public async Task StartAsync()
    {
        try
        {
            await server.StartAsync();
        }
        catch (SocketException ex)
        {
            throw new MqttConfigException($"embedded broker cannot listen on {settings.EmbeddedListen} ({ex.Message}); set MQTTRULES_EMBEDDED_LISTEN to a free host:port");
        }

        BrokerLog.Listening(logger, settings.EmbeddedListen.ToString(),
            settings.EmbeddedUsername is null ? " (no login required)" : " (login required)");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await server.StopAsync(new MqttServerStopOptions());
        }
        catch (Exception ex)
        {
            BrokerLog.StopFailed(logger, ex.Message);
        }

        server.Dispose();
        refusals.Dispose();
    }

    private Task Validate(ValidatingConnectionEventArgs e)
    {
        if (string.IsNullOrEmpty(e.ClientId))
        {
            // MQTT allows an empty client id (the broker assigns one); mosquitto_pub/sub send it.
            // MQTTnet assigns it for MQTT 5 only; MQTT 3.1.1 allows it with a clean session (§3.1.3.1),
            // as mosquitto does, so the id is set on the CONNECT packet itself.
            var assigned = "auto-" + Guid.NewGuid().ToString("N");
            e.AssignedClientIdentifier = assigned;
            if (e.CleanSession == true && ConnectPacket(e) is { } connect)
            {
                connect.ClientId = assigned;
            }
        }

        if (settings.EmbeddedUsername is { } user &&
            (!Same(e.UserName, user) || !Same(e.Password, settings.EmbeddedPassword ?? "")))
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
        }

        return Task.CompletedTask;
    }

    /// <summary>A client id the broker has no session for is refused once it keeps <see cref="EmbeddedLimits.MaxSessions"/> sessions.</summary>
    private async Task LimitSessionsAsync(ValidatingConnectionEventArgs e)
    {
        if (e.ReasonCode != MqttConnectReasonCode.Success)
        {
            return;
        }

        var sessions = await server.GetSessionsAsync();
        var max = settings.EmbeddedLimits.MaxSessions;
        if (sessions.Count >= max && !sessions.Any(s => s.Id == e.ClientId))
        {
            // MQTT 3.1.1 has no "quota exceeded" (MQTTnet would send "unacceptable protocol version"):
            // its closest return code is 0x03 "server unavailable" (§3.2.2.3).
            e.ReasonCode = e.ProtocolVersion == MQTTnet.Formatter.MqttProtocolVersion.V500
                ? MqttConnectReasonCode.QuotaExceeded
                : MqttConnectReasonCode.ServerUnavailable;
            refusals.TooManySessions(e.ClientId);
        }
    }

    /// <summary>MQTTnet.Server 5.2 keeps the CONNECT packet in a private field and exposes no setter for its client id.</summary>
    private static readonly System.Reflection.FieldInfo? ConnectPacketField = typeof(ValidatingConnectionEventArgs)
        .GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
        .FirstOrDefault(f => f.FieldType == typeof(MQTTnet.Packets.MqttConnectPacket));

    private static MQTTnet.Packets.MqttConnectPacket? ConnectPacket(ValidatingConnectionEventArgs e) =>
        ConnectPacketField?.GetValue(e) as MQTTnet.Packets.MqttConnectPacket;

    private static bool Same(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
