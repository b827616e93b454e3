using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;
using MQTTnet.Exceptions;
using MqttRules.Mqtt;

namespace MqttRules.Tests.Mqtt;

public sealed class BufferedChannelTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Writes_IssuedTogether_LeaveInOneSocketWriteInOrder()
    {
        var socket = new SocketStandIn { HoldWrites = true };
        using var channel = new BufferedChannel(socket);

        for (var i = 0; i < 100; i++)
        {
            var write = channel.WriteAsync(Bytes((byte)i, 4), isEndOfPacket: true, CancellationToken.None);
            Assert.True(write.IsCompletedSuccessfully, "a write below the high-water mark returns at once");
        }

        socket.ReleaseWrites();
        await socket.WaitForBytesAsync(400).WaitAsync(Bound);

        Assert.InRange(socket.WriteCount, 1, 2); // the first packet may leave alone, the other 99 together
        Assert.Equal(Enumerable.Range(0, 100).SelectMany(i => Enumerable.Repeat((byte)i, 4)), socket.Written);
    }

    [Fact]
    public async Task Reads_ManyPacketsInOneSocketRead_AreServedFromTheBuffer()
    {
        var socket = new SocketStandIn();
        socket.Incoming.Enqueue([1, 2, 3, 4, 5, 6, 7]);
        using var channel = new BufferedChannel(socket);
        var buffer = new byte[8];

        Assert.Equal(2, await channel.ReadAsync(buffer, 0, 2, CancellationToken.None));
        Assert.Equal(3, await channel.ReadAsync(buffer, 2, 3, CancellationToken.None));
        Assert.Equal(2, await channel.ReadAsync(buffer, 5, 8 - 5, CancellationToken.None));

        Assert.Equal(1, socket.ReadCount);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 0 }, buffer);
    }

    [Fact]
    public async Task Read_ConnectionClosed_ReturnsZero()
    {
        var socket = new SocketStandIn();
        using var channel = new BufferedChannel(socket);

        Assert.Equal(0, await channel.ReadAsync(new byte[4], 0, 4, CancellationToken.None));
    }

    [Fact]
    public async Task Write_SocketFails_ClosesTheChannelAndLaterWritesFail()
    {
        var socket = new SocketStandIn { FailWrites = true };
        using var channel = new BufferedChannel(socket);

        await channel.WriteAsync(Bytes(1, 4), true, CancellationToken.None);
        await socket.Disposed.Task.WaitAsync(Bound);

        await Assert.ThrowsAsync<MqttCommunicationException>(() => channel.WriteAsync(Bytes(2, 4), true, CancellationToken.None));
    }

    [Fact]
    public async Task Disconnect_WritesWhatIsPendingFirst()
    {
        var socket = new SocketStandIn { HoldWrites = true };
        using var channel = new BufferedChannel(socket);
        await channel.WriteAsync(Bytes(9, 2), true, CancellationToken.None);

        var disconnect = channel.DisconnectAsync(CancellationToken.None);
        Assert.False(socket.DisconnectCalled);
        socket.ReleaseWrites();
        await disconnect.WaitAsync(Bound);

        Assert.True(socket.DisconnectCalled);
        Assert.Equal(new byte[] { 9, 9 }, socket.Written);
    }

    [Fact]
    public async Task Write_PastTheHighWaterMark_WaitsForTheSocket()
    {
        var socket = new SocketStandIn { HoldWrites = true };
        using var channel = new BufferedChannel(socket);

        var big = channel.WriteAsync(Bytes(1, BufferedChannel.HighWater), true, CancellationToken.None);
        Assert.False(big.IsCompleted);

        socket.ReleaseWrites();
        await big.WaitAsync(Bound);
        Assert.Equal(BufferedChannel.HighWater, socket.Written.Count);
    }

    private static ReadOnlySequence<byte> Bytes(byte value, int count) => new(Enumerable.Repeat(value, count).ToArray());

    /// <summary>The socket under the channel: records writes (optionally holding them until released), serves queued reads.</summary>
    private sealed class SocketStandIn : IMqttChannel
    {
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock gate = new();
        private readonly List<byte> written = [];
        private TaskCompletionSource<bool>? bytesWaiter;
        private int bytesWanted;

        public bool HoldWrites { get; init; }
        public bool FailWrites { get; init; }
        public Queue<byte[]> Incoming { get; } = new();
        public int WriteCount { get; private set; }
        public int ReadCount { get; private set; }
        public bool DisconnectCalled { get; private set; }
        public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<byte> Written
        {
            get
            {
                lock (gate)
                {
                    return [.. written];
                }
            }
        }

        public X509Certificate2 ClientCertificate => null!;
        public EndPoint RemoteEndPoint => new IPEndPoint(IPAddress.Loopback, 1883);
        public EndPoint LocalEndPoint => new IPEndPoint(IPAddress.Loopback, 50000);
        public bool IsSecureConnection => false;

        public void ReleaseWrites() => released.TrySetResult();

        public Task WaitForBytesAsync(int count)
        {
            lock (gate)
            {
                if (written.Count >= count)
                {
                    return Task.CompletedTask;
                }

                bytesWanted = count;
                bytesWaiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                return bytesWaiter.Task;
            }
        }

        public Task ConnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task DisconnectAsync(CancellationToken cancellationToken)
        {
            DisconnectCalled = true;
            return Task.CompletedTask;
        }

        public Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            ReadCount++;
            if (!Incoming.TryDequeue(out var data))
            {
                return Task.FromResult(0);
            }

            data.CopyTo(buffer, offset);
            return Task.FromResult(data.Length);
        }

        public async Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
        {
            if (FailWrites)
            {
                throw new IOException("connection reset");
            }

            if (HoldWrites)
            {
                await released.Task.WaitAsync(cancellationToken);
            }

            lock (gate)
            {
                WriteCount++;
                written.AddRange(buffer.ToArray());
                if (bytesWaiter is not null && written.Count >= bytesWanted)
                {
                    bytesWaiter.TrySetResult(true);
                }
            }
        }

        public void Dispose() => Disposed.TrySetResult();
    }
}
