namespace MqttRules.Mqtt;

/// <summary>MQTT's framing: a type byte, then the remaining length in 1 to 4 bytes of 7 bits each.</summary>
internal static class PacketFormat
{
    /// <summary>The largest remaining length four length bytes can express (256 MB).</summary>
    public const int MaxRemainingLength = 268_435_455;
}
