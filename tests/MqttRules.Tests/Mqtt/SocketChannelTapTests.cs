using System.Net;
using System.Net.Sockets;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MqttRules.Mqtt;

namespace MqttRules.Tests.Mqtt;

/// <summary>
/// The reading thread cuts what the broker sends into packets and lets a tap take some before
/// MQTTnet: against a real loopback peer and MQTTnet's own adapter and decoder above the channel,
/// the tap and MQTTnet see every packet once and in the order sent, whatever the segments (a packet
/// split across reads, many in one, one larger than the channel's buffer); a tap that throws ends
/// the connection through MQTTnet's read; a stream that is not MQTT reaches MQTTnet, which reports it.
/// </summary>
public sealed class SocketChannelTapTests : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);

    public SocketChannelTapTests() => listener.Start();

    public void Dispose() => listener.Stop();

    /// <summary>Takes the PUBLISHes whose topic starts with "tap/"; logs them, in one list with what MQTTnet got.</summary>
    private sealed class RecordingTap(List<string> log) : IPacketTap
    {
        public Exception? Throw { get; set; }

        public bool TryTake(byte header, ReadOnlySpan<byte> body)
        {
            if (Throw is { } ex)
            {
                throw ex;
            }

            if (PublishDecoder.Decode(header, body, v5: false) is not { } p || !p.Topic.StartsWith("tap/", StringComparison.Ordinal))
            {
                return false;
            }

            lock (log)
            {
                log.Add($"tap {p.Topic} {p.Payload.Length}");
            }

            return true;
        }
    }

    private async Task<(MqttChannelAdapter Adapter, Socket Peer, SocketChannel Channel)> ConnectAsync(IPacketTap tap)
    {
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port)
            .WithProtocolVersion(MqttProtocolVersion.V311).WithTimeout(TimeSpan.FromSeconds(5)).Build();
        var channel = new SocketChannel(options) { Tap = tap };
        var adapter = new MqttChannelAdapter(new BufferedChannel(channel), new MqttPacketFormatterAdapter(MqttProtocolVersion.V311, new MqttBufferWriter(4096, 65536)), new MqttNetNullLogger());
        var accepted = listener.AcceptSocketAsync();
        await adapter.ConnectAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        return (adapter, await accepted.WaitAsync(TimeSpan.FromSeconds(10)), channel);
    }

    private static byte[] Bytes(MqttPacket packet) =>
        new MqttPacketFormatterAdapter(MqttProtocolVersion.V311, new MqttBufferWriter(4096, 1 << 20)).Encode(packet).ToArray();

    private static byte[] Publish(string topic, int payloadLength) =>
        Bytes(new MqttPublishPacket { Topic = topic, PayloadSegment = new byte[payloadLength] });

    /// <summary>
    /// MQTTnet's receive loop: reads packets and logs them until <paramref name="count"/> came, then
    /// asks for the next, as the loop does (the tap's next packet waits until MQTTnet has handled its last).
    /// </summary>
    private static async Task ReadAsync(MqttChannelAdapter adapter, List<string> log, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var packet = await adapter.ReceivePacketAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            lock (log)
            {
                log.Add(packet switch
                {
                    MqttPublishPacket p => $"mqttnet {p.Topic} {p.Payload.Length}",
                    _ => $"mqttnet {packet.GetType().Name}",
                });
            }
        }

        _ = adapter.ReceivePacketAsync(CancellationToken.None);
    }

    [Fact]
    public async Task TapAndMqttnet_SeeEveryPacketOnce_InTheOrderSent_WhateverTheSegments()
    {
        var log = new List<string>();
        var (adapter, peer, channel) = await ConnectAsync(new RecordingTap(log));
        using (peer)
        using (channel)
        {
            var stream = new List<byte>();
            stream.AddRange(Bytes(new MqttConnAckPacket()));
            stream.AddRange(Publish("tap/1", 10));
            stream.AddRange(Bytes(MqttPingRespPacket.Instance));
            stream.AddRange(Publish("tap/2", 300));
            stream.AddRange(Publish("mqttnet/3", 5));
            stream.AddRange(Publish("tap/4", 0));
            stream.AddRange(Publish("mqttnet/5", 200_000)); // larger than the channel's 64 KB buffer
            stream.AddRange(Publish("tap/6", 70_000)); // larger than the buffer too: MQTTnet's
            stream.AddRange(Publish("tap/7", 1));
            var bytes = stream.ToArray();

            // MQTTnet reads as the packets come; the peer sends them in pieces of every size.
            var reading = ReadAsync(adapter, log, 5);
            var random = new Random(3);
            for (var at = 0; at < bytes.Length;)
            {
                var n = Math.Min(bytes.Length - at, random.Next(1, 40_000));
                await peer.SendAsync(bytes.AsMemory(at, n));
                at += n;
                await Task.Delay(random.Next(3));
            }

            await reading;
            // The last packet may still be on its way to the tap when MQTTnet read its last one.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (log.Count < 9 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }

            Assert.Equal(
            [
                "mqttnet MqttConnAckPacket", "tap tap/1 10", "mqttnet MqttPingRespPacket", "tap tap/2 300",
                "mqttnet mqttnet/3 5", "tap tap/4 0", "mqttnet mqttnet/5 200000", "mqttnet tap/6 70000", "tap tap/7 1",
            ], log);
        }
    }

    [Fact]
    public async Task TapThrows_MqttnetsReadFailsWithIt()
    {
        var log = new List<string>();
        var tap = new RecordingTap(log) { Throw = new InvalidOperationException("the engine failed") };
        var (adapter, peer, channel) = await ConnectAsync(tap);
        using (peer)
        using (channel)
        {
            var read = adapter.ReceivePacketAsync(CancellationToken.None);
            await peer.SendAsync(Publish("tap/1", 3));
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => read.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Contains("the engine failed", ex.ToString());
        }
    }

    [Fact]
    public async Task NotMqtt_ReachesMqttnet_WhichReportsIt()
    {
        var log = new List<string>();
        var (adapter, peer, channel) = await ConnectAsync(new RecordingTap(log));
        using (peer)
        using (channel)
        {
            var read = adapter.ReceivePacketAsync(CancellationToken.None);
            await peer.SendAsync(new byte[] { 0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0, 0 }); // a fifth length byte
            await Assert.ThrowsAnyAsync<MqttProtocolViolationException>(() => read.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Empty(log);
        }
    }
}
