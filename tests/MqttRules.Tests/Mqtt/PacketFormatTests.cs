using MqttRules.Mqtt;

namespace MqttRules.Tests.Mqtt;

public sealed class PacketFormatTests
{
    // MQTT 5 §3.3: fixed header byte, remaining length (1–4 bytes), topic length + topic,
    // packet id (QoS > 0), property length (v5), payload.
    [Theory]
    [InlineData("a", 0, 0, false, 1 + 1 + 2 + 1)]
    [InlineData("a", 0, 0, true, 1 + 1 + 2 + 1 + 1)]
    [InlineData("a", 0, 1, true, 1 + 1 + 2 + 1 + 2 + 1)]
    [InlineData("out/big", 4000, 1, true, 1 + 2 + 2 + 7 + 2 + 1 + 4000)]
    [InlineData("é", 0, 0, true, 1 + 1 + 2 + 2 + 1)]
    public void PublishSize_CountsEveryByteOfThePacket(string topic, int payload, int qos, bool v5, long expected) =>
        Assert.Equal(expected, PacketFormat.PublishSize(topic, payload, qos, v5));

    [Theory]
    [InlineData(127, 1)]
    [InlineData(128, 2)]
    [InlineData(16_383, 2)]
    [InlineData(16_384, 3)]
    [InlineData(2_097_151, 3)]
    [InlineData(2_097_152, 4)]
    [InlineData(PacketFormat.MaxRemainingLength, 4)]
    public void VarIntSize_FollowsTheSevenBitEncoding(long value, int bytes) => Assert.Equal(bytes, PacketFormat.VarIntSize(value));
}
