using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MqttRules.Mqtt;

namespace MqttRules.Tests.Mqtt;

/// <summary>
/// The engine's own pings (the proof that the broker read a QoS 0 publish) share the connection
/// with MQTTnet's keep-alive pings: each PINGRESP answers the oldest ping still unanswered, and
/// only the answers to ours complete ours; the others go on to the client.
/// </summary>
public sealed class DirectPublishAdapterTests
{
    /// <summary>A connection below the adapter: what was sent, and packets the test makes arrive.</summary>
    private sealed class Wire : IMqttChannelAdapter
    {
        private readonly Channel<MqttPacket> incoming = Channel.CreateUnbounded<MqttPacket>();

        public List<MqttPacket> Sent { get; } = [];
        public long BytesReceived => 0;
        public long BytesSent => 0;
        public X509Certificate2 ClientCertificate => null!;
        public EndPoint RemoteEndPoint => new IPEndPoint(IPAddress.Loopback, 1883);
        public EndPoint LocalEndPoint => new IPEndPoint(IPAddress.Loopback, 50000);
        public bool IsSecureConnection => false;
        public MqttPacketFormatterAdapter PacketFormatterAdapter => null!;

        public void Arrive(MqttPacket packet) => incoming.Writer.TryWrite(packet);

        public void Close() => incoming.Writer.TryComplete(new MqttCommunicationException("connection reset"));

        public Task ConnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task DisconnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await incoming.Reader.ReadAsync(cancellationToken);
            }
            catch (ChannelClosedException ex) when (ex.InnerException is { } inner)
            {
                throw inner;
            }
        }

        public void ResetStatistics()
        {
        }

        public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken)
        {
            Sent.Add(packet);
            return Task.CompletedTask;
        }

        public bool Disposed { get; private set; }

        public void Dispose()
        {
            Disposed = true;
            Close();
        }
    }

    private static DirectPublishAdapter Adapter(Wire wire) => new(wire, (_, _) => true);

    [Fact]
    public async Task OwnPingThenKeepAlive_FirstAnswerIsOurs_SecondGoesToTheClient()
    {
        var wire = new Wire();
        var adapter = Adapter(wire);
        var ours = adapter.PingAsync();
        await adapter.SendPacketAsync(MqttPingReqPacket.Instance, CancellationToken.None); // the client's keep-alive
        Assert.Equal(2, wire.Sent.Count(p => p is MqttPingReqPacket));

        wire.Arrive(new MqttPingRespPacket());
        wire.Arrive(new MqttPingRespPacket());
        var toClient = await adapter.ReceivePacketAsync(CancellationToken.None);

        Assert.True(ours.IsCompletedSuccessfully);
        Assert.IsType<MqttPingRespPacket>(toClient);
    }

    [Fact]
    public async Task KeepAliveThenOwnPing_FirstAnswerGoesToTheClient_OursWaitsForTheSecond()
    {
        var wire = new Wire();
        var adapter = Adapter(wire);
        await adapter.SendPacketAsync(MqttPingReqPacket.Instance, CancellationToken.None);
        var ours = adapter.PingAsync();

        wire.Arrive(new MqttPingRespPacket());
        Assert.IsType<MqttPingRespPacket>(await adapter.ReceivePacketAsync(CancellationToken.None));
        Assert.False(ours.IsCompleted); // the keep-alive's answer proves nothing about what we wrote after it

        wire.Arrive(new MqttPingRespPacket());
        wire.Arrive(new MqttPingRespPacket()); // an answer nobody waits for goes to the client as it came
        Assert.IsType<MqttPingRespPacket>(await adapter.ReceivePacketAsync(CancellationToken.None));
        Assert.True(ours.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task ConnectionLost_WaitingPingFails_LaterPingsFailAtOnce()
    {
        var wire = new Wire();
        var adapter = Adapter(wire);
        var ours = adapter.PingAsync();

        wire.Close();
        await Assert.ThrowsAsync<MqttCommunicationException>(() => adapter.ReceivePacketAsync(CancellationToken.None));

        await Assert.ThrowsAsync<MqttCommunicationException>(() => ours);
        await Assert.ThrowsAsync<MqttCommunicationException>(() => adapter.PingAsync());
    }

    /// <summary>
    /// Issue 12: on the reading thread the adapter takes PUBLISHes and the answers to its own pings
    /// before MQTTnet decodes them, but only between the CONNACK and the connection's end; the
    /// answer to the client's keep-alive is left to the client, its entry with it.
    /// </summary>
    [Fact]
    public async Task Tap_TakesPublishesAndOurPingAnswers_OnlyWhileConnected()
    {
        var wire = new Wire();
        var taken = new List<MqttPublishPacket>();
        var adapter = new DirectPublishAdapter(wire, (p, _) => { taken.Add(p); return true; });
        var publish = new MqttPacketFormatterAdapter(MqttProtocolVersion.V311, new MqttBufferWriter(4096, 65536))
            .Encode(new MqttPublishPacket { Topic = "zigbee2mqtt/kitchen", PayloadSegment = """{"temperature":21.5}"""u8.ToArray() }).ToArray();
        var body = publish.AsSpan(2).ToArray(); // a one-byte remaining length

        Assert.False(adapter.TryTake(publish[0], body)); // before the CONNACK: MQTTnet's

        wire.Arrive(new MqttConnAckPacket());
        Assert.IsType<MqttConnAckPacket>(await adapter.ReceivePacketAsync(CancellationToken.None));
        Assert.True(adapter.TryTake(publish[0], body));
        Assert.Equal("zigbee2mqtt/kitchen", Assert.Single(taken).Topic);

        await adapter.SendPacketAsync(MqttPingReqPacket.Instance, CancellationToken.None); // the client's
        var ours = adapter.PingAsync();
        Assert.False(adapter.TryTake(0xD0, [])); // answers the client's: left to MQTTnet's path
        wire.Arrive(new MqttPingRespPacket());
        Assert.IsType<MqttPingRespPacket>(await adapter.ReceivePacketAsync(CancellationToken.None));
        Assert.False(ours.IsCompleted);
        Assert.True(adapter.TryTake(0xD0, [])); // ours
        Assert.True(ours.IsCompletedSuccessfully);

        await adapter.DisconnectAsync(CancellationToken.None);
        Assert.False(adapter.TryTake(publish[0], body)); // closing: MQTTnet's to discard
        Assert.Single(taken);
    }

    /// <summary>
    /// Issue 12: the keep-alive is kept by the adapter, not by MQTTnet's loop (four wake-ups a
    /// second at idle). The CONNECT announces it; a ping leaves once nothing was written for that
    /// long, and every packet written in between puts it off.
    /// </summary>
    [Fact]
    public async Task KeepAlive_ConnectAnnouncesIt_PingOnlyAfterThatLongWithoutWriting()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var wire = new Wire();
        using var adapter = new DirectPublishAdapter(wire, (_, _) => true, TimeSpan.FromSeconds(15), time);
        var connect = new MqttConnectPacket { ClientId = "engine", KeepAlivePeriod = 0 };
        await adapter.SendPacketAsync(connect, CancellationToken.None);
        Assert.Equal(15, connect.KeepAlivePeriod);

        time.Advance(TimeSpan.FromSeconds(10));
        await adapter.SendPacketAsync(new MqttPubAckPacket { PacketIdentifier = 1 }, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(10));             // 20 s after the CONNECT, 10 s after the PUBACK
        Assert.DoesNotContain(wire.Sent, p => p is MqttPingReqPacket);

        time.Advance(TimeSpan.FromSeconds(5));              // 15 s without writing
        Assert.Single(wire.Sent, p => p is MqttPingReqPacket);
        wire.Arrive(new MqttPingRespPacket());              // answered: ours, not the client's
        var receive = adapter.ReceivePacketAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(8));              // past half the keep-alive: the connection stays
        Assert.False(wire.Disposed);
        Assert.False(receive.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(7));              // 15 s after the ping: the next one
        Assert.Equal(2, wire.Sent.Count(p => p is MqttPingReqPacket));
    }

    /// <summary>No answer within half the keep-alive (MQTTnet's rule): the connection is closed, so the client reconnects.</summary>
    [Fact]
    public async Task KeepAlive_Unanswered_ClosesTheConnection_ReceiveLoopEnds()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var wire = new Wire();
        using var adapter = new DirectPublishAdapter(wire, (_, _) => true, TimeSpan.FromSeconds(15), time);
        await adapter.SendPacketAsync(new MqttConnectPacket { ClientId = "engine" }, CancellationToken.None);
        var receive = adapter.ReceivePacketAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(15));
        Assert.Single(wire.Sent, p => p is MqttPingReqPacket);
        time.Advance(TimeSpan.FromSeconds(7));
        Assert.False(wire.Disposed);
        time.Advance(TimeSpan.FromSeconds(1));             // 7.5 s without an answer
        await Wait.UntilAsync(() => wire.Disposed, what: "the dead connection closed");
        await Assert.ThrowsAsync<MqttCommunicationException>(() => receive.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
