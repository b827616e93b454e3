using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace MqttRules.Mqtt;

/// <summary>
/// Decodes the PUBLISH packets the engine takes on the connection's reading thread (see
/// <see cref="IPacketTap"/>): QoS 0 and 1, MQTT 3.1.1 and 5, with what the engine reads of them
/// (topic, payload, QoS, packet identifier, retain and duplicate flags, MQTT 5 subscription
/// identifiers). Anything else — QoS 2, a topic alias, a property it does not know, a packet that
/// is not well formed — is declined (null) and left to MQTTnet, which handles or reports it as before.
/// </summary>
internal static class PublishDecoder
{
    private const byte PayloadFormatIndicator = 0x01;
    private const byte MessageExpiryInterval = 0x02;
    private const byte ContentType = 0x03;
    private const byte ResponseTopic = 0x08;
    private const byte CorrelationData = 0x09;
    private const byte SubscriptionIdentifier = 0x0B;
    private const byte UserProperty = 0x26;

    /// <summary>The packet, or null when it is one to leave to MQTTnet.</summary>
    /// <param name="header">The fixed header's first byte.</param>
    /// <param name="body">Everything after the fixed header (variable header and payload).</param>
    /// <param name="v5">MQTT 5 (the variable header has properties).</param>
    public static MqttPublishPacket? Decode(byte header, ReadOnlySpan<byte> body, bool v5)
    {
        var qos = (header >> 1) & 3;
        if ((header & 0xF0) != 0x30 || qos > 1 || body.Length < 2)
        {
            return null;
        }

        var topicLength = BinaryPrimitives.ReadUInt16BigEndian(body);
        var at = 2 + topicLength;
        if (topicLength == 0 || body.Length < at)
        {
            return null;
        }

        ushort packetId = 0;
        if (qos > 0)
        {
            if (body.Length < at + 2)
            {
                return null;
            }

            packetId = BinaryPrimitives.ReadUInt16BigEndian(body[at..]);
            at += 2;
        }

        List<uint>? subscriptionIds = null;
        if (v5 && !TryReadProperties(body, ref at, ref subscriptionIds))
        {
            return null;
        }

        return new MqttPublishPacket
        {
            Topic = Encoding.UTF8.GetString(body.Slice(2, topicLength)),
            QualityOfServiceLevel = (MqttQualityOfServiceLevel)qos,
            PacketIdentifier = packetId,
            Retain = (header & 1) != 0,
            Dup = (header & 8) != 0,
            SubscriptionIdentifiers = subscriptionIds,
            Payload = new ReadOnlySequence<byte>(body[at..].ToArray()),
        };
    }

    private static bool TryReadProperties(ReadOnlySpan<byte> body, ref int at, ref List<uint>? subscriptionIds)
    {
        if (!PacketFormat.TryReadVariableInteger(body, ref at, out var length) || length > body.Length - at)
        {
            return false;
        }

        var properties = body.Slice(at, length);
        at += length;
        var p = 0;
        while (p < properties.Length)
        {
            var ok = properties[p++] switch
            {
                PayloadFormatIndicator => Skip(properties, ref p, 1),
                MessageExpiryInterval => Skip(properties, ref p, 4),
                ContentType or ResponseTopic or CorrelationData => SkipPrefixed(properties, ref p),
                UserProperty => SkipPrefixed(properties, ref p) && SkipPrefixed(properties, ref p),
                SubscriptionIdentifier => TryAddSubscriptionId(properties, ref p, ref subscriptionIds),
                _ => false, // a topic alias (the engine allows none) or a property not allowed here
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Skip(ReadOnlySpan<byte> data, ref int at, int count)
    {
        at += count;
        return at <= data.Length;
    }

    private static bool SkipPrefixed(ReadOnlySpan<byte> data, ref int at) =>
        at + 2 <= data.Length && Skip(data, ref at, 2 + BinaryPrimitives.ReadUInt16BigEndian(data[at..]));

    private static bool TryAddSubscriptionId(ReadOnlySpan<byte> data, ref int at, ref List<uint>? ids)
    {
        if (!PacketFormat.TryReadVariableInteger(data, ref at, out var id) || id == 0)
        {
            return false;
        }

        (ids ??= []).Add((uint)id);
        return true;
    }
}
