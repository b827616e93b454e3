using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Channel;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Packets;

namespace MqttRules.Mqtt;

/// <summary>
/// MQTTnet's own client adapter (TCP, optionally TLS), with <see cref="BufferedChannel"/> between it
/// and the socket (plain TCP on Linux: <see cref="SocketChannel"/>, read by a thread of its own); with <paramref name="take"/>, PUBLISH packets go to it straight from the receive
/// loop (<see cref="DirectPublishAdapter"/>, which also keeps the connection alive every
/// <paramref name="keepAlive"/> when it is set: the client's options then have none).
/// </summary>
internal sealed class BufferedAdapterFactory(Func<MqttPublishPacket, IMqttChannelAdapter, bool>? take = null, TimeSpan keepAlive = default) : IMqttClientAdapterFactory
{
    public IMqttChannelAdapter CreateClientAdapter(MqttClientOptions options, MqttPacketInspector packetInspector, IMqttNetLogger logger)
    {
        if (!Serves(options))
        {
            return new MqttClientAdapterFactory().CreateClientAdapter(options, packetInspector, logger);
        }

        var formatter = new MqttPacketFormatterAdapter(options.ProtocolVersion, new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax));
        var channel = Channel(options);
        var adapter = new MqttChannelAdapter(new BufferedChannel(channel), formatter, logger)
        {
            AllowPacketFragmentation = options.AllowPacketFragmentation,
            PacketInspector = packetInspector,
        };
        if (take is null)
        {
            return adapter;
        }

        var direct = new DirectPublishAdapter(adapter, take, keepAlive, v5: options.ProtocolVersion == MqttProtocolVersion.V500);
        if (channel is SocketChannel socket)
        {
            socket.Tap = direct; // PUBLISHes and our PINGRESPs taken on the reading thread, before MQTTnet's decoder
        }

        Current = direct;
        return direct;
    }

    /// <summary>TCP (plain or TLS): the connections this factory makes its own adapter for (WebSockets: MQTTnet's).</summary>
    public static bool Serves(MqttClientOptions options) => options.ChannelOptions is MqttClientTcpOptions;

    private static IMqttChannel Channel(MqttClientOptions options) =>
        SocketChannel.Serves(options) ? new SocketChannel(options) : new MqttTcpChannel(options);

    /// <summary>The adapter of the latest connection (attempt) with the direct hand-off; null before the first.</summary>
    public DirectPublishAdapter? Current
    {
        get => Volatile.Read(ref current);
        private set => Volatile.Write(ref current, value);
    }

    private DirectPublishAdapter? current;
}
