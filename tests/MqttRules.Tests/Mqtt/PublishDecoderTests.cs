using System.Buffers;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MqttRules.Mqtt;

namespace MqttRules.Tests.Mqtt;

/// <summary>
/// The PUBLISH packets the engine decodes on the reading thread, against MQTTnet's own encoder as
/// the reference: whatever MQTTnet writes, the decoder reads back the same topic, payload, QoS,
/// packet identifier, flags and subscription identifiers (MQTT 3.1.1 and 5); what it leaves to
/// MQTTnet (QoS 2, topic aliases, packets that are not well formed) it declines, never throws.
/// </summary>
public sealed class PublishDecoderTests
{
    private static (byte Header, byte[] Body) Encode(MqttPublishPacket packet, MqttProtocolVersion version)
    {
        var bytes = new MqttPacketFormatterAdapter(version, new MqttBufferWriter(4096, 65536)).Encode(packet).ToArray();
        var at = 1;
        Assert.True(PacketFormat.TryReadVariableInteger(bytes, ref at, out var remaining));
        Assert.Equal(bytes.Length, at + remaining);
        return (bytes[0], bytes[at..]);
    }

    public static TheoryData<MqttProtocolVersion> Versions => [MqttProtocolVersion.V311, MqttProtocolVersion.V500];

    [Theory]
    [MemberData(nameof(Versions))]
    public void ReadsBack_WhatMqttnetWrites(MqttProtocolVersion version)
    {
        var cases = new[]
        {
            new MqttPublishPacket { Topic = "zigbee2mqtt/kitchen", PayloadSegment = """{"temperature":21.5}"""u8.ToArray() },
            new MqttPublishPacket { Topic = "tele/tasmota_1/SENSOR", PayloadSegment = "x"u8.ToArray(), QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce, PacketIdentifier = 65535, Retain = true, Dup = true },
            new MqttPublishPacket { Topic = "home/m0001/water", PayloadSegment = Array.Empty<byte>() }, // empty payload
            new MqttPublishPacket { Topic = "säure/温度/ü", PayloadSegment = new byte[70_000] }, // UTF-8 topic, payload over 64 KB
        };
        foreach (var sent in cases)
        {
            var (header, body) = Encode(sent, version);
            var got = PublishDecoder.Decode(header, body, version == MqttProtocolVersion.V500);
            Assert.NotNull(got);
            Assert.Equal(sent.Topic, got.Topic);
            Assert.Equal(sent.Payload.ToArray(), got.Payload.ToArray());
            Assert.Equal(sent.QualityOfServiceLevel, got.QualityOfServiceLevel);
            Assert.Equal(sent.PacketIdentifier, got.PacketIdentifier);
            Assert.Equal(sent.Retain, got.Retain);
            Assert.Equal(sent.Dup, got.Dup);
        }
    }

    [Fact]
    public void Mqtt5_ReadsSubscriptionIdentifiers_AndSkipsTheOtherProperties()
    {
        var sent = new MqttPublishPacket
        {
            Topic = "shellies/shelly1/relay/0",
            PayloadSegment = "on"u8.ToArray(),
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            PacketIdentifier = 7,
            SubscriptionIdentifiers = [1, 300, 268_435_455], // 1, 2 and 4 bytes
            ContentType = "text/plain",
            ResponseTopic = "reply/here",
            CorrelationData = [1, 2, 3],
            MessageExpiryInterval = 3600,
            PayloadFormatIndicator = MqttPayloadFormatIndicator.CharacterData,
            UserProperties = [new MqttUserProperty("source", "esphome"u8.ToArray().AsMemory()), new MqttUserProperty("k", "v"u8.ToArray().AsMemory())],
        };
        var (header, body) = Encode(sent, MqttProtocolVersion.V500);

        var got = PublishDecoder.Decode(header, body, v5: true);

        Assert.NotNull(got);
        Assert.Equal(sent.Topic, got.Topic);
        Assert.Equal("on"u8.ToArray(), got.Payload.ToArray());
        Assert.Equal([1u, 300u, 268_435_455u], got.SubscriptionIdentifiers);
    }

    [Fact]
    public void Declines_Qos2_TopicAliases_AndOtherPacketTypes()
    {
        var qos2 = Encode(new MqttPublishPacket { Topic = "a/b", PayloadSegment = "1"u8.ToArray(), QualityOfServiceLevel = MqttQualityOfServiceLevel.ExactlyOnce, PacketIdentifier = 1 }, MqttProtocolVersion.V500);
        Assert.Null(PublishDecoder.Decode(qos2.Header, qos2.Body, v5: true));

        var aliased = Encode(new MqttPublishPacket { Topic = "a/b", TopicAlias = 3, PayloadSegment = "1"u8.ToArray() }, MqttProtocolVersion.V500);
        Assert.Null(PublishDecoder.Decode(aliased.Header, aliased.Body, v5: true));

        var puback = Encode(new MqttPublishPacket { Topic = "a/b", PayloadSegment = "1"u8.ToArray() }, MqttProtocolVersion.V311);
        Assert.Null(PublishDecoder.Decode(0x40, puback.Body, v5: false));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Truncated_InItsVariableHeader_IsDeclined(MqttProtocolVersion version)
    {
        var (header, body) = Encode(new MqttPublishPacket
        {
            Topic = "home/kitchen/temp",
            PayloadSegment = "21"u8.ToArray(),
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            PacketIdentifier = 9,
            SubscriptionIdentifiers = version == MqttProtocolVersion.V500 ? [5] : null,
        }, version);
        var variableHeader = body.Length - 2;
        for (var cut = 0; cut < variableHeader; cut++)
        {
            Assert.Null(PublishDecoder.Decode(header, body.AsSpan(0, cut), version == MqttProtocolVersion.V500));
        }
    }

    [Fact]
    public void RandomBytes_NeverThrow()
    {
        var random = new Random(12);
        var body = new byte[64];
        for (var i = 0; i < 20_000; i++)
        {
            random.NextBytes(body);
            var length = random.Next(body.Length + 1);
            _ = PublishDecoder.Decode((byte)(0x30 | random.Next(16)), body.AsSpan(0, length), v5: (i & 1) == 0);
        }
    }

    [Fact]
    public void VariableInteger_ReadsOneToFourBytes_AndRefusesAFifth()
    {
        // The examples of the MQTT 5 specification, 1.5.5 Variable Byte Integer.
        (byte[] Bytes, int Value)[] examples =
        [
            ([0x00], 0), ([0x7F], 127), ([0x80, 0x01], 128), ([0xFF, 0x7F], 16_383),
            ([0x80, 0x80, 0x01], 16_384), ([0xFF, 0xFF, 0x7F], 2_097_151),
            ([0x80, 0x80, 0x80, 0x01], 2_097_152), ([0xFF, 0xFF, 0xFF, 0x7F], 268_435_455),
        ];
        foreach (var (bytes, value) in examples)
        {
            var at = 0;
            Assert.True(PacketFormat.TryReadVariableInteger(bytes, ref at, out var read));
            Assert.Equal(value, read);
            Assert.Equal(bytes.Length, at);
        }

        var fifth = 0;
        Assert.False(PacketFormat.TryReadVariableInteger([0xFF, 0xFF, 0xFF, 0xFF, 0x01], ref fifth, out _));
        var short_ = 0;
        Assert.False(PacketFormat.TryReadVariableInteger([0x80, 0x80], ref short_, out _));
    }
}
