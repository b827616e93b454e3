using System.Text;

namespace MqttRules.Mqtt;

/// <summary>MQTT's framing: a type byte, then the remaining length in 1 to 4 bytes of 7 bits each.</summary>
internal static class PacketFormat
{
    /// <summary>The largest remaining length four length bytes can express (256 MB).</summary>
    public const int MaxRemainingLength = 268_435_455;

    /// <summary>
    /// The encoded size of a PUBLISH packet as we send it (no properties but, on MQTT 5, the
    /// one-byte empty property length): fixed header, remaining length, topic, packet id, payload.
    /// This is what a broker's Maximum Packet Size (MQTT 5 §3.2.2.3.6) is compared with.
    /// </summary>
    public static long PublishSize(string topic, int payloadLength, int qos, bool v5)
    {
        long remaining = 2 + Encoding.UTF8.GetByteCount(topic) + (qos > 0 ? 2 : 0) + (v5 ? 1 : 0) + payloadLength;
        return 1 + VarIntSize(remaining) + remaining;
    }

    /// <summary>Bytes the variable byte integer <paramref name="value"/> takes.</summary>
    public static int VarIntSize(long value) => value switch
    {
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };

    /// <summary>
    /// An MQTT variable byte integer at <paramref name="at"/> (1 to 4 bytes); false when the bytes
    /// end first or a fifth byte would follow.
    /// </summary>
    public static bool TryReadVariableInteger(ReadOnlySpan<byte> data, ref int at, out int value)
    {
        value = 0;
        for (var i = 0; i < 4; i++)
        {
            if (at >= data.Length)
            {
                return false;
            }

            var b = data[at++];
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
