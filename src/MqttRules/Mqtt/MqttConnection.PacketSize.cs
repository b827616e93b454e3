using MQTTnet;

namespace MqttRules.Mqtt;

/// <summary>The broker's MQTT 5 Maximum Packet Size: a larger publish is refused here, not sent.</summary>
internal sealed partial class MqttConnection
{
    /// <summary>The Maximum Packet Size the broker announced in its CONNACK (MQTT 5); 0 when it set none.</summary>
    public long MaximumPacketSize { get; private set; }

    /// <summary>
    /// A broker closes the connection on a packet larger than its maximum (mosquitto: <c>max_packet_size</c>);
    /// the message would be sent again after every reconnect, so it is refused before sending.
    /// </summary>
    private void RefuseTooLarge(string topic, int payloadLength, int qos)
    {
        var max = MaximumPacketSize;
        if (max <= 0)
        {
            return;
        }

        var size = PacketFormat.PublishSize(topic, payloadLength, qos, v5: true);
        if (size > max)
        {
            throw new MqttPublishRefusedException(
                $"the publish to '{topic}' is {size} bytes as an MQTT packet, more than the broker's maximum packet size of {max} bytes");
        }
    }

    /// <summary>
    /// The error a broker's DISCONNECT (MQTT 5) named, other than session taken over: e.g. 0x95 packet
    /// too large or 0x81 malformed packet. Such a close has a cause of its own and is no client id fight.
    /// </summary>
    private static string? BrokerError(MqttClientDisconnectedEventArgs e)
    {
        if (e.Exception is not null || (int)e.Reason < 0x80 || e.Reason == MqttClientDisconnectReason.SessionTakenOver)
        {
            return null;
        }

        var text = string.IsNullOrEmpty(e.ReasonString) ? "" : $": {e.ReasonString}";
        return $"the broker disconnected us with reason {e.Reason} (0x{(int)e.Reason:X2}){text}";
    }
}
