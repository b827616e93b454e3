using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MQTTnet;
using MqttRules.Mqtt;

namespace MqttRules.Tests.Mqtt;

/// <summary>
/// The broker connection read by a thread of its own (Linux, plain TCP), against a real loopback
/// peer: what the peer sends arrives in order, the read's continuation runs on the reading thread,
/// a cancelled read loses nothing, writes the kernel cannot take at once still arrive whole and in
/// order, and every way a connection ends (the peer closes, resets, the channel is disposed while a
/// read waits, nobody listens) ends the read as MQTTnet's own channel does (Linux, where the suite
/// runs: the channel serves nothing else).
/// </summary>
public sealed class SocketChannelTests : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);

    public SocketChannelTests() => listener.Start();

    public void Dispose() => listener.Stop();

    private int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    private static MqttClientOptions Options(string host, int port)
    {
        var options = new MqttClientOptionsBuilder().WithTcpServer(host, port).WithTimeout(TimeSpan.FromSeconds(5)).Build();
        ((MqttClientTcpOptions)options.ChannelOptions).BufferSize = 256 * 1024;
        return options;
    }

    private async Task<(SocketChannel Channel, Socket Peer)> ConnectAsync(string host = "127.0.0.1")
    {
        var channel = new SocketChannel(Options(host, Port));
        var accepted = listener.AcceptSocketAsync();
        await channel.ConnectAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        return (channel, await accepted.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static async Task<string> ReadTextAsync(SocketChannel channel, int count = 64)
    {
        var buffer = new byte[count];
        var n = await channel.ReadAsync(buffer, 0, count, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        return System.Text.Encoding.ASCII.GetString(buffer, 0, n);
    }

    [Fact]
    public void Serves_PlainTcpOnLinux_NotTls()
    {
        Assert.Equal(OperatingSystem.IsLinux(), SocketChannel.Serves(Options("127.0.0.1", 1883)));
        var tls = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", 8883).WithTlsOptions(t => t.UseTls()).Build();
        Assert.False(SocketChannel.Serves(tls));
    }

    [Fact]
    public async Task Read_GetsWhatThePeerSent_InOrder_AndRunsItsContinuationOnTheReadingThread()
    {
        var (channel, peer) = await ConnectAsync("localhost");
        using (peer)
        using (channel)
        {
            var buffer = new byte[64];
            var read = channel.ReadAsync(buffer, 0, buffer.Length, CancellationToken.None);
            var continuedOn = read.ContinueWith(_ => Thread.CurrentThread.Name, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await peer.SendAsync("hello"u8.ToArray());
            var n = await read.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(buffer, 0, n));
            Assert.Equal("MqttRules receive", await continuedOn.WaitAsync(TimeSpan.FromSeconds(10)));

            // A read smaller than what arrived: the rest comes with the next read.
            await peer.SendAsync("abcdef"u8.ToArray());
            await Task.Delay(50); // both halves arrive in one segment on loopback
            Assert.Equal("abc", await ReadTextAsync(channel, 3));
            Assert.Equal("def", await ReadTextAsync(channel, 3));
        }
    }

    [Fact]
    public async Task CancelledRead_LosesNothing_TheNextReadGetsWhatArrived()
    {
        var (channel, peer) = await ConnectAsync();
        using (peer)
        using (channel)
        {
            using var cts = new CancellationTokenSource();
            var first = channel.ReadAsync(new byte[64], 0, 64, cts.Token);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(TimeSpan.FromSeconds(10)));

            await peer.SendAsync("after"u8.ToArray());
            Assert.Equal("after", await ReadTextAsync(channel));
        }
    }

    [Fact]
    public async Task Write_TheKernelCannotTakeAtOnce_ArrivesWholeAndInOrder_OnceThePeerReads()
    {
        var (channel, peer) = await ConnectAsync();
        using (peer)
        using (channel)
        {
            // Far more than both socket buffers hold while the peer does not read.
            var data = new byte[16 * 1024 * 1024];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = (byte)(i * 7);
            }

            var first = channel.WriteAsync(new ReadOnlySequence<byte>(data), true, CancellationToken.None);
            Assert.False(first.IsCompleted); // the kernel took part of it; the rest waits for the peer
            var second = first.ContinueWith(_ => channel.WriteAsync(new ReadOnlySequence<byte>("end"u8.ToArray()), true, CancellationToken.None), TaskScheduler.Default).Unwrap();

            var received = new MemoryStream();
            var chunk = new byte[256 * 1024];
            while (received.Length < data.Length + 3)
            {
                var n = await peer.ReceiveAsync(chunk, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(30));
                Assert.True(n > 0, "the peer's read ended early");
                received.Write(chunk, 0, n);
            }

            await second.WaitAsync(TimeSpan.FromSeconds(10));
            var all = received.ToArray();
            Assert.Equal(data, all[..data.Length]);
            Assert.Equal("end"u8.ToArray(), all[data.Length..]);
        }
    }

    [Fact]
    public async Task PeerCloses_ReadReturnsZero_AndSoDoReadsAfterIt()
    {
        var (channel, peer) = await ConnectAsync();
        using (channel)
        {
            var read = channel.ReadAsync(new byte[64], 0, 64, CancellationToken.None);
            peer.Shutdown(SocketShutdown.Both);
            peer.Dispose();
            Assert.Equal(0, await read.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(0, await channel.ReadAsync(new byte[64], 0, 64, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        }
    }

    [Fact]
    public async Task PeerResets_ReadFailsWithTheSocketError()
    {
        var (channel, peer) = await ConnectAsync();
        using (channel)
        {
            var read = channel.ReadAsync(new byte[64], 0, 64, CancellationToken.None);
            peer.LingerState = new LingerOption(true, 0); // close = RST
            peer.Dispose();
            var ex = await Assert.ThrowsAsync<SocketException>(() => read.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(SocketError.ConnectionReset, ex.SocketErrorCode);
        }
    }

    [Fact]
    public async Task Dispose_EndsAWaitingRead_WithZero_AndWritesAfterItFail()
    {
        var (channel, peer) = await ConnectAsync();
        using (peer)
        {
            var read = channel.ReadAsync(new byte[64], 0, 64, CancellationToken.None);
            await Task.Delay(50); // the reading thread is in its receive
            channel.Dispose();
            Assert.Equal(0, await read.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.ThrowsAny<Exception>(() => channel.WriteAsync(new ReadOnlySequence<byte>([1]), true, CancellationToken.None).GetAwaiter().GetResult());
        }
    }

    [Fact]
    public async Task Connect_NobodyListening_FailsWithConnectionRefused()
    {
        var port = Port;
        listener.Stop();
        using var channel = new SocketChannel(Options("127.0.0.1", port));
        var ex = await Assert.ThrowsAsync<SocketException>(() => channel.ConnectAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(SocketError.ConnectionRefused, ex.SocketErrorCode);
    }
}
