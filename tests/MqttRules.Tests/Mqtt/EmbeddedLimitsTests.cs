using MQTTnet.Exceptions;
using MqttRules.Mqtt;

namespace MqttRules.Tests.Mqtt;

/// <summary>Issue 10, point 5: the embedded broker's limits, and how a too-large packet is seen before it is read.</summary>
public class EmbeddedLimitsTests
{
    [Fact]
    public void FromEnvironment_Unset_Defaults()
    {
        var limits = EmbeddedLimits.FromEnvironment(_ => null);

        Assert.Equal(new EmbeddedLimits { MaxPacketSize = 1_048_576, MaxQueuedPerClient = 100_000, MaxConnections = 1000, MaxSessions = 1000 }, limits);
    }

    [Fact]
    public void FromEnvironment_Set_Read()
    {
        var env = new Dictionary<string, string>
        {
            ["MQTTRULES_EMBEDDED_MAX_PACKET_SIZE"] = "65536",
            ["MQTTRULES_EMBEDDED_MAX_QUEUED"] = "500",
            ["MQTTRULES_EMBEDDED_MAX_CONNECTIONS"] = "20",
            ["MQTTRULES_EMBEDDED_MAX_SESSIONS"] = "30",
        };

        var limits = EmbeddedLimits.FromEnvironment(n => env.GetValueOrDefault(n));

        Assert.Equal(new EmbeddedLimits { MaxPacketSize = 65536, MaxQueuedPerClient = 500, MaxConnections = 20, MaxSessions = 30 }, limits);
    }

    [Theory]
    [InlineData("MQTTRULES_EMBEDDED_MAX_PACKET_SIZE", "0")]
    [InlineData("MQTTRULES_EMBEDDED_MAX_PACKET_SIZE", "268435456")]
    [InlineData("MQTTRULES_EMBEDDED_MAX_QUEUED", "-1")]
    [InlineData("MQTTRULES_EMBEDDED_MAX_CONNECTIONS", "many")]
    [InlineData("MQTTRULES_EMBEDDED_MAX_SESSIONS", "1e3")]
    public void FromEnvironment_Bad_ConfigErrorNamingTheVariable(string name, string value)
    {
        var ex = Assert.Throws<MqttRules.Configuration.ConfigException>(() => EmbeddedLimits.FromEnvironment(n => n == name ? value : null));

        Assert.StartsWith(name, ex.Message);
    }

    [Fact]
    public void Follow_PacketsUnderTheLimit_PassInAnyChunking()
    {
        // PUBLISH of 100 bytes, PINGREQ (no body), PUBLISH of 300 bytes (two length bytes: 0xAC 0x02).
        byte[] stream = [0x30, 100, .. new byte[100], 0xC0, 0x00, 0x30, 0xAC, 0x02, .. new byte[300]];
        var refused = new List<long>();
        for (var chunk = 1; chunk <= stream.Length; chunk += 37)
        {
            var channel = new PacketLimitChannel(null!, 300, refused.Add);
            for (var at = 0; at < stream.Length; at += chunk)
            {
                channel.Follow(stream.AsSpan(at, Math.Min(chunk, stream.Length - at)));
            }
        }

        Assert.Empty(refused);
    }

    [Fact]
    public void Follow_PacketOverTheLimit_RefusedFromItsHeader()
    {
        var refused = new List<long>();
        var channel = new PacketLimitChannel(null!, 1024, refused.Add);
        channel.Follow([0x30, 10, .. new byte[10]]);

        // 200 MB announced in four length bytes: refused before any of the body is read.
        Assert.Throws<MqttProtocolViolationException>(() => channel.Follow([0x30, 0x80, 0x80, 0xE4]));
        Assert.True(refused.Single() > 1024);
    }

    [Fact]
    public void Follow_LengthOfFiveBytes_Malformed()
    {
        var channel = new PacketLimitChannel(null!, PacketFormat.MaxRemainingLength, _ => { });

        Assert.Throws<MqttProtocolViolationException>(() => channel.Follow([0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]));
    }
}
