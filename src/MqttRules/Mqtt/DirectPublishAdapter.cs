using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Packets;

namespace MqttRules.Mqtt;

/// <summary>
/// Hands every PUBLISH packet to <paramref name="take"/> straight from MQTTnet's receive loop, on
/// the thread that decoded it. MQTTnet's client would otherwise queue it for a second task of its
/// own, which only then raises the message event: a thread hand-off (a context switch or two) per
/// message at a steady rate. A packet <paramref name="take"/> accepts is not returned to the
/// client, so the client never acknowledges it: the taker does, through <see cref="SendPacketAsync"/>
/// (see <see cref="IncomingMessage.AcknowledgeAsync"/>), once the message was processed, as before.
/// Every other packet (CONNACK, PUBACK, PINGRESP, PUBREL, DISCONNECT ...) goes to the client as it came.
/// </summary>
internal sealed class DirectPublishAdapter(IMqttChannelAdapter inner, Func<MqttPublishPacket, IMqttChannelAdapter, bool> take) : IMqttChannelAdapter
{
    public long BytesReceived => inner.BytesReceived;
    public long BytesSent => inner.BytesSent;
    public X509Certificate2 ClientCertificate => inner.ClientCertificate;
    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;
    public EndPoint LocalEndPoint => inner.LocalEndPoint;
    public bool IsSecureConnection => inner.IsSecureConnection;
    public MqttPacketFormatterAdapter PacketFormatterAdapter => inner.PacketFormatterAdapter;

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);

    public async Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var packet = await inner.ReceivePacketAsync(cancellationToken).ConfigureAwait(false);
            if (packet is not MqttPublishPacket publish || !take(publish, this))
            {
                return packet;
            }
        }
    }

    public void ResetStatistics() => inner.ResetStatistics();

    public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken) => inner.SendPacketAsync(packet, cancellationToken);

    public void Dispose() => inner.Dispose();
}
