using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Embedded;

/// <summary>
/// The default <c>--broker embedded</c>: devices talk to the broker inside mqttrules. MQTTnet's
/// broker refuses MQTT 3.1.1 clients without a client id, so the peers send one (or use MQTT 5).
/// </summary>
public sealed class EmbeddedBrokerTests
{
    [Fact]
    public async Task Run_Embedded_DevicesConnectAndRuleAutomates()
    {
        using var dir = new TempDir();
        var port = Ports.Free();
        var env = new Dictionary<string, string?> { ["MQTTRULES_EMBEDDED_LISTEN"] = $"127.0.0.1:{port}" };
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, "embedded", env);
        await engine.WaitForStderrAsync("Subscribed to");
        await using var sub = await MosquittoClients.SubscribeAsync(port, "pumps/#", "-V", "5");

        await MosquittoClients.PublishAsync(port, "tank/e/level", "64", 1, false, "-i", "meter-e");

        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/e/set ON 64"), "switch command via the embedded broker\n" + engine.AllOutput);
    }

    [Fact]
    public async Task Run_EmbeddedWithLogin_RefusesAnonymousDevices()
    {
        using var dir = new TempDir();
        var port = Ports.Free();
        var env = new Dictionary<string, string?>
        {
            ["MQTTRULES_EMBEDDED_LISTEN"] = $"127.0.0.1:{port}",
            ["MQTTRULES_EMBEDDED_USERNAME"] = "house",
            ["MQTTRULES_EMBEDDED_PASSWORD"] = "pw",
        };
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, "embedded", env);
        await engine.WaitForStderrAsync("Subscribed to");

        await using var anonymous = ChildProcess.Start("/usr/bin/mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{port}", "-t", "tank/x/level", "-m", "50", "-V", "5"]);
        Assert.NotEqual(0, await anonymous.WaitForExitAsync(TimeSpan.FromSeconds(10)));

        await using var sub = await MosquittoClients.SubscribeAsync(port, "pumps/#", "-u", "house", "-P", "pw", "-V", "5");
        await MosquittoClients.PublishAsync(port, "tank/x/level", "51", 0, false, "-u", "house", "-P", "pw", "-i", "meter-x");
        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/x/set ON 51"), "switch command\n" + engine.AllOutput);
    }

    [Fact]
    public async Task Run_Demo_FiresTheWaterRuleAndClosesTheValve()
    {
        using var dir = new TempDir();
        var port = Ports.Free();
        var env = new Dictionary<string, string?> { ["MQTTRULES_EMBEDDED_LISTEN"] = $"127.0.0.1:{port}" };
        await using var engine = MqttRulesCli.StartCommand(dir, "run", null, "embedded", env, "--demo", "--rules", Path.Combine(dir.Path, "none"));

        await engine.WaitForStderrAsync("water-burst fired for home/main/water → publish valves/main/set \"CLOSE\"", timeout: TimeSpan.FromSeconds(60));
        await engine.WaitForStderrAsync("water-burst fired for home/main/water → tweet \"Water at main:");
        await engine.WaitForStderrAsync("Demo: the valve is closed");
        engine.Terminate();
        Assert.Equal(0, await engine.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>Issue 10, point 5: one 200 MB publish took the engine from 95 to 897 MB.</summary>
    [Fact]
    public async Task Run_Embedded_PacketOverTheLimitClosesTheConnectionAndTheEngineGoesOn()
    {
        using var dir = new TempDir();
        var port = Ports.Free();
        var env = new Dictionary<string, string?>
        {
            ["MQTTRULES_EMBEDDED_LISTEN"] = $"127.0.0.1:{port}",
            ["MQTTRULES_EMBEDDED_MAX_PACKET_SIZE"] = "65536",
        };
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, "embedded", env);
        await engine.WaitForStderrAsync("Subscribed to");
        var big = Path.Combine(dir.Path, "big.bin");
        await File.WriteAllBytesAsync(big, new byte[64 * 1024 * 1024]);
        var peakBefore = PeakMemoryKb(engine.Id);

        await using (var pub = ChildProcess.Start("/usr/bin/mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{port}", "-t", "tank/big/level", "-f", big, "-q", "1", "-i", "big", "-V", "5"]))
        {
            Assert.NotEqual(0, await pub.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        }

        await engine.WaitForStderrAsync("is over the limit of 65536 bytes");
        Assert.True(PeakMemoryKb(engine.Id) - peakBefore < 32 * 1024, "the engine's peak memory grew by the refused packet");
        await using var sub = await MosquittoClients.SubscribeAsync(port, "pumps/#", "-V", "5");
        await MosquittoClients.PublishAsync(port, "tank/e/level", "64", 1, false, "-i", "meter-e");
        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/e/set ON 64"), "switch command after the refused packet\n" + engine.AllOutput);
    }

    [Fact]
    public async Task Run_Embedded_ConnectionsOverTheLimitAreRefused()
    {
        using var dir = new TempDir();
        var port = Ports.Free();
        var env = new Dictionary<string, string?>
        {
            ["MQTTRULES_EMBEDDED_LISTEN"] = $"127.0.0.1:{port}",
            ["MQTTRULES_EMBEDDED_MAX_CONNECTIONS"] = "2",
        };
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, "embedded", env);
        await engine.WaitForStderrAsync("Subscribed to");
        await using var sub = await MosquittoClients.SubscribeAsync(port, "pumps/#", "-V", "5");

        await using (var third = ChildProcess.Start("/usr/bin/mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{port}", "-t", "tank/x/level", "-m", "50", "-i", "third", "-V", "5"]))
        {
            Assert.NotEqual(0, await third.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        }

        await engine.WaitForStderrAsync("2 connections are open");
    }

    /// <summary>Issue 10, point 5: idle sockets that never send CONNECT must not hold MQTTRULES_EMBEDDED_MAX_CONNECTIONS.</summary>
    [Fact]
    public async Task Run_Embedded_ConnectionThatSendsNoConnectIsClosedAfterTheTimeout()
    {
        using var dir = new TempDir();
        var port = Ports.Free();
        var env = new Dictionary<string, string?>
        {
            ["MQTTRULES_EMBEDDED_LISTEN"] = $"127.0.0.1:{port}",
            ["MQTTRULES_EMBEDDED_CONNECT_TIMEOUT"] = "1",
        };
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, "embedded", env);
        await engine.WaitForStderrAsync("Subscribed to");
        using var idle = new System.Net.Sockets.TcpClient();
        await idle.ConnectAsync(System.Net.IPAddress.Loopback, port);
        var started = System.Diagnostics.Stopwatch.StartNew();

        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = await ReadOrResetAsync(idle.GetStream(), bounded.Token);

        Assert.Equal(0, read);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(8), $"closed after {started.Elapsed}");
        await engine.WaitForStderrAsync("no CONNECT within 1 s");
    }

    /// <summary>Issue 10, point 5: MQTT 3.1.1 has no "quota exceeded"; the refusal must not read as a protocol version problem.</summary>
    [Fact]
    public async Task Run_Embedded_SessionsOverTheLimit_Mqtt311ClientSeesServerUnavailable()
    {
        using var dir = new TempDir();
        var port = Ports.Free();
        var env = new Dictionary<string, string?>
        {
            ["MQTTRULES_EMBEDDED_LISTEN"] = $"127.0.0.1:{port}",
            ["MQTTRULES_EMBEDDED_MAX_SESSIONS"] = "1",
        };
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, "embedded", env);
        await engine.WaitForStderrAsync("Subscribed to");

        await using var device = ChildProcess.Start("/usr/bin/mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{port}", "-t", "tank/x/level", "-m", "50", "-i", "second", "-V", "mqttv311"]);

        Assert.NotEqual(0, await device.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("unavailable", device.AllOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("protocol version", device.AllOutput, StringComparison.Ordinal);
        await engine.WaitForStderrAsync("1 sessions are kept");
    }

    /// <summary>Issue 10, point 5: 200 connections each part-way through a 1 MB publish held about 200 MB.</summary>
    [Fact]
    public async Task Run_Embedded_UnfinishedPacketsOverTheSharedBudget_CloseTheConnectionThatWouldExceedIt()
    {
        using var dir = new TempDir();
        var port = Ports.Free();
        var env = new Dictionary<string, string?>
        {
            ["MQTTRULES_EMBEDDED_LISTEN"] = $"127.0.0.1:{port}",
            ["MQTTRULES_EMBEDDED_MAX_INCOMPLETE_BYTES"] = "1500000",
        };
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, "embedded", env);
        await engine.WaitForStderrAsync("Subscribed to");
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        // Two 600 000-byte publishes fit in the budget, a third does not (whichever the broker reads last).
        using var first = await StartPublishAsync(port, "slow-1", 600_000, bounded.Token);
        using var second = await StartPublishAsync(port, "slow-2", 600_000, bounded.Token);
        using var third = await StartPublishAsync(port, "slow-3", 600_000, bounded.Token);

        await engine.WaitForStderrAsync("does not fit in the 1500000 bytes for packets being received");
        System.Net.Sockets.TcpClient[] slow = [first, second, third];
        await Poll.UntilAsync(() => slow.Count(ClosedByPeer) == 1, "exactly one slow publisher closed\n" + engine.AllOutput);
        await using var sub = await MosquittoClients.SubscribeAsync(port, "pumps/#", "-V", "5");
        await MosquittoClients.PublishAsync(port, "tank/e/level", "64", 1, false, "-i", "meter-e");
        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/e/set ON 64"), "small publishes still pass\n" + engine.AllOutput);
    }

    /// <summary>A raw MQTT 3.1.1 client that connects, then sends a publish header announcing <paramref name="length"/> bytes and 1000 of them.</summary>
    private static async Task<System.Net.Sockets.TcpClient> StartPublishAsync(int port, string clientId, int length, CancellationToken ct)
    {
        var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, port, ct);
        var stream = client.GetStream();
        byte[] variable = [0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 2, 0, 60, 0, (byte)clientId.Length, .. System.Text.Encoding.ASCII.GetBytes(clientId)];
        await stream.WriteAsync((byte[])[0x10, (byte)variable.Length, .. variable], ct);
        var connack = new byte[4];
        await stream.ReadExactlyAsync(connack, ct);
        var header = new List<byte> { 0x30 };
        for (var rest = length; rest > 0; rest >>= 7)
        {
            header.Add((byte)((rest & 0x7F) | (rest > 0x7F ? 0x80 : 0)));
        }

        await stream.WriteAsync((byte[])[.. header, 0, 6, .. "tank/x"u8.ToArray(), .. new byte[992]], ct);
        return client;
    }

    /// <summary>True when the peer has closed or reset the connection (readable with nothing to read).</summary>
    private static bool ClosedByPeer(System.Net.Sockets.TcpClient client) =>
        client.Client.Poll(0, System.Net.Sockets.SelectMode.SelectRead) && client.Client.Available == 0;

    /// <summary>Bytes read until the peer closes (0), or 0 when it resets the connection.</summary>
    private static async Task<int> ReadOrResetAsync(System.Net.Sockets.NetworkStream stream, CancellationToken ct)
    {
        try
        {
            return await stream.ReadAsync(new byte[16], ct);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The peak resident memory of a process (VmHWM), which a packet read into memory would raise for good.</summary>
    private static long PeakMemoryKb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
