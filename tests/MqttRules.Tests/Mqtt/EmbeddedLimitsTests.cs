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

        Assert.Equal(new EmbeddedLimits { MaxPacketSize = 1_048_576, MaxQueuedPerClient = 100_000, MaxConnections = 1000, MaxSessions = 1000, MaxIncompleteBytes = 64 * 1024 * 1024, ConnectTimeoutSeconds = 10 }, limits);
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
            ["MQTTRULES_EMBEDDED_MAX_INCOMPLETE_BYTES"] = "4096",
            ["MQTTRULES_EMBEDDED_CONNECT_TIMEOUT"] = "3",
        };

        var limits = EmbeddedLimits.FromEnvironment(n => env.GetValueOrDefault(n));

        Assert.Equal(new EmbeddedLimits { MaxPacketSize = 65536, MaxQueuedPerClient = 500, MaxConnections = 20, MaxSessions = 30, MaxIncompleteBytes = 4096, ConnectTimeoutSeconds = 3 }, limits);
    }

    [Theory]
    [InlineData("MQTTRULES_EMBEDDED_MAX_PACKET_SIZE", "0")]
    [InlineData("MQTTRULES_EMBEDDED_MAX_PACKET_SIZE", "268435456")]
    [InlineData("MQTTRULES_EMBEDDED_MAX_QUEUED", "-1")]
    [InlineData("MQTTRULES_EMBEDDED_MAX_CONNECTIONS", "many")]
    [InlineData("MQTTRULES_EMBEDDED_MAX_SESSIONS", "1e3")]
    [InlineData("MQTTRULES_EMBEDDED_MAX_INCOMPLETE_BYTES", "0")]
    [InlineData("MQTTRULES_EMBEDDED_CONNECT_TIMEOUT", "3601")]
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

    /// <summary>200 connections each part-way through a 1 MB publish held about 200 MB; the shared budget bounds that.</summary>
    [Fact]
    public void Follow_PacketsBeyondTheSharedBudget_RefusedUntilOthersFinishOrClose()
    {
        var budget = new PacketBudget(1000);
        var over = new List<long>();
        var first = new PacketLimitChannel(new NoChannel(), 1024, _ => { }, budget, over.Add);
        var second = new PacketLimitChannel(new NoChannel(), 1024, _ => { }, budget, over.Add);
        var third = new PacketLimitChannel(new NoChannel(), 1024, _ => { }, budget, over.Add);

        // Each announces 600 bytes (0xD8 0x04) and sends 100 of them.
        first.Follow([0x30, 0xD8, 0x04, .. new byte[100]]);
        Assert.Throws<MqttProtocolViolationException>(() => second.Follow([0x30, 0xD8, 0x04]));
        Assert.Equal([600L], over);
        Assert.Equal(600, budget.Used);

        first.Follow(new byte[500]);
        Assert.Equal(0, budget.Used);
        third.Follow([0x30, 0xD8, 0x04, .. new byte[10]]);
        Assert.Equal(600, budget.Used);

        third.Dispose();
        Assert.Equal(0, budget.Used);
        Assert.Single(over);
    }

    [Fact]
    public void PacketRead_OnlyOnceAWholePacketArrived()
    {
        var channel = new PacketLimitChannel(new NoChannel(), 1024, _ => { }, new PacketBudget(1024));

        channel.Follow([0x10, 12, .. new byte[11]]);
        Assert.False(channel.PacketRead);
        channel.Follow([0]);
        Assert.True(channel.PacketRead);
    }

    private sealed class NoChannel : MQTTnet.Channel.IMqttChannel
    {
        public System.Security.Cryptography.X509Certificates.X509Certificate2 ClientCertificate => null!;
        public System.Net.EndPoint RemoteEndPoint => null!;
        public System.Net.EndPoint LocalEndPoint => null!;
        public bool IsSecureConnection => false;

        public Task ConnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task DisconnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(0);

        public Task WriteAsync(System.Buffers.ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
