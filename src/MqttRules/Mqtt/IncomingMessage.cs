using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace MqttRules.Mqtt;

/// <summary>
/// A received message, handed from the MQTT receive loop to the engine loop. QoS 1/2 messages are
/// acknowledged only by <see cref="AcknowledgeAsync"/>, after evaluation, so the broker redelivers
/// what the engine never saw.
/// </summary>
internal readonly struct IncomingMessage
{
    private readonly MqttApplicationMessageReceivedEventArgs? args;
    private readonly MqttPublishPacket? packet;
    private readonly IMqttChannelAdapter? connection;

    internal IncomingMessage(string topic, ReadOnlyMemory<byte> payload, int qos, MqttApplicationMessageReceivedEventArgs? args, IReadOnlyList<string>? via = null)
    {
        Via = via;
        Topic = topic;
        Payload = payload;
        Qos = qos;
        this.args = args;
    }

    /// <summary>A message taken straight from the connection it arrived on (see <see cref="DirectPublishAdapter"/>), acknowledged on it.</summary>
    internal IncomingMessage(MqttPublishPacket packet, ReadOnlyMemory<byte> payload, IMqttChannelAdapter connection, IReadOnlyList<string>? via)
        : this(packet.Topic, payload, (int)packet.QualityOfServiceLevel, null, via)
    {
        this.packet = packet;
        this.connection = connection;
    }

    public IncomingMessage(string topic, ReadOnlyMemory<byte> payload)
        : this(topic, payload, 0, null)
    {
    }

    public string Topic { get; }
    public ReadOnlyMemory<byte> Payload { get; }
    public int Qos { get; }

    /// <summary>
    /// The subscribed filters this copy arrived for (from its MQTT 5 subscription identifiers), so
    /// that a message matching overlapping subscriptions feeds each rule once; null: any rule it matches.
    /// </summary>
    public IReadOnlyList<string>? Via { get; }

    /// <summary>Sends the PUBACK/PUBREC; a message received on a connection that has since dropped is redelivered instead.</summary>
    public async ValueTask AcknowledgeAsync(CancellationToken ct)
    {
        if (Qos == 0 || (args is null && connection is null))
        {
            return;
        }

        try
        {
            await (args is not null ? args.AcknowledgeAsync(ct) : connection!.SendPacketAsync(Reply(packet!), ct));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The connection went away; the broker will redeliver it (persistent session).
        }
    }

    /// <summary>What MQTTnet's client answers a processed PUBLISH with: PUBACK (QoS 1) or PUBREC (QoS 2), success.</summary>
    private static MqttPacket Reply(MqttPublishPacket packet) =>
        packet.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtLeastOnce
            ? new MqttPubAckPacket { PacketIdentifier = packet.PacketIdentifier, ReasonCode = MqttPubAckReasonCode.Success }
            : new MqttPubRecPacket { PacketIdentifier = packet.PacketIdentifier, ReasonCode = MqttPubRecReasonCode.Success };
}
