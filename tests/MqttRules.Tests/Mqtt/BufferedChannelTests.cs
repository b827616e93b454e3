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
        var socket = new SocketStandIn { Gated = true };
        using var channel = new BufferedChannel(socket);

        for (var i = 0; i < 100; i++)
        {
            var write = channel.WriteAsync(Bytes((byte)i, 4), isEndOfPacket: true, CancellationToken.None);
            Assert.True(write.IsCompletedSuccessfully, "a write below the high-water mark returns at once");
        }

        socket.Open();
        await socket.WaitForBytesAsync(400).WaitAsync(Bound);

        Assert.InRange(socket.WriteCount, 1, 2); // the first packet may leave alone, the other 99 together
        Assert.Equal(Enumerable.Range(0, 100).SelectMany(i => Enumerable.Repeat((byte)i, 4)), socket.Written);
    }

    /// <summary>Issue 12: a batch's acknowledgements and alerts leave in one socket write; outside a batch a packet leaves at once.</summary>
    [Fact]
    public async Task Writes_InABatch_LeaveTogetherWhenItEnds_OutsideOneAtOnce()
    {
        var socket = new SocketStandIn();
        using var channel = new BufferedChannel(socket);

        using (WriteBatch.Begin())
        {
            for (var i = 0; i < 10; i++)
            {
                await channel.WriteAsync(Bytes((byte)i, 4), isEndOfPacket: true, CancellationToken.None);
            }

            Assert.Equal(0, socket.WriteCount); // held until the batch ends
        }

        await socket.WaitForBytesAsync(40).WaitAsync(Bound);
        Assert.Equal(1, socket.WriteCount);

        await channel.WriteAsync(Bytes(10, 4), isEndOfPacket: true, CancellationToken.None);
        await socket.WaitForBytesAsync(44).WaitAsync(Bound);
        Assert.Equal(2, socket.WriteCount);
        Assert.Equal(Enumerable.Range(0, 11).SelectMany(i => Enumerable.Repeat((byte)i, 4)), socket.Written);
    }

    [Fact]
    public async Task Writes_OverSeveralFlushes_KeepTheirOrder()
    {
        var socket = new SocketStandIn { Gated = true };
        using var channel = new BufferedChannel(socket);

        await channel.WriteAsync(Bytes(0, 3), true, CancellationToken.None);
        await socket.WaitForWriteStartedAsync(1).WaitAsync(Bound); // the first flush holds packet 0
        await channel.WriteAsync(Bytes(1, 3), true, CancellationToken.None);
        await channel.WriteAsync(Bytes(2, 3), true, CancellationToken.None);
        socket.Permit(1);
        await socket.WaitForWriteStartedAsync(2).WaitAsync(Bound); // the second holds packets 1 and 2
        await channel.WriteAsync(Bytes(3, 3), true, CancellationToken.None);
        socket.Open();
        await socket.WaitForBytesAsync(12).WaitAsync(Bound);

        Assert.Equal(3, socket.WriteCount);
        Assert.Equal(new byte[] { 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3 }, socket.Written);
    }

    [Fact]
    public async Task Write_HeaderThenPayload_LeaveTogether()
    {
        var socket = new SocketStandIn();
        using var channel = new BufferedChannel(socket);

        await channel.WriteAsync(Bytes(0x30, 2), isEndOfPacket: false, CancellationToken.None);
        await channel.WriteAsync(Bytes(7, 5), isEndOfPacket: true, CancellationToken.None);
        await socket.WaitForBytesAsync(7).WaitAsync(Bound);

        Assert.Equal(1, socket.WriteCount);
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
    public async Task Write_SocketFails_ClosesTheChannel_LaterWritesAndTheReaderReportTheCause()
    {
        var socket = new SocketStandIn { FailWrites = true };
        using var channel = new BufferedChannel(socket);

        await channel.WriteAsync(Bytes(1, 4), true, CancellationToken.None);
        await socket.Disposed.Task.WaitAsync(Bound);

        var write = await Assert.ThrowsAsync<MqttCommunicationException>(() => channel.WriteAsync(Bytes(2, 4), true, CancellationToken.None));
        var read = await Assert.ThrowsAsync<MqttCommunicationException>(() => channel.ReadAsync(new byte[4], 0, 4, CancellationToken.None));
        Assert.Contains("connection reset", write.Message, StringComparison.Ordinal);
        Assert.IsType<IOException>(read.InnerException);
    }

    [Fact]
    public async Task Disconnect_WritesWhatIsPendingFirst_AndTakesNoMoreWrites()
    {
        var socket = new SocketStandIn { Gated = true };
        using var channel = new BufferedChannel(socket);
        await channel.WriteAsync(Bytes(9, 2), true, CancellationToken.None);

        var disconnect = channel.DisconnectAsync(CancellationToken.None);
        await Assert.ThrowsAsync<MqttCommunicationException>(() => channel.WriteAsync(Bytes(8, 2), true, CancellationToken.None));
        Assert.False(socket.DisconnectCalled);
        socket.Open();
        await disconnect.WaitAsync(Bound);

        Assert.True(socket.DisconnectCalled);
        Assert.Equal(new byte[] { 9, 9 }, socket.Written);
    }

    [Fact]
    public async Task Disconnect_AfterDisconnectPacket_ReadsUntilTheBrokerClosesBeforeClosing()
    {
        var socket = new SocketStandIn();
        socket.Incoming.Enqueue([0x30, 1, 2]); // a publish still on its way to us
        using var channel = new BufferedChannel(socket);
        await channel.WriteAsync(new ReadOnlySequence<byte>([0x40, 2, 0, 1]), true, CancellationToken.None); // PUBACK
        await channel.WriteAsync(new ReadOnlySequence<byte>([0xE0, 0]), true, CancellationToken.None); // DISCONNECT

        await channel.DisconnectAsync(CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(2, socket.ReadCount); // the publish, then the broker's close
        Assert.True(socket.DisconnectCalled);
        Assert.Equal(new byte[] { 0x40, 2, 0, 1, 0xE0, 0 }, socket.Written);
        Assert.Equal(0, await channel.ReadAsync(new byte[4], 0, 4, CancellationToken.None)); // MQTTnet is told: closed
    }

    [Fact]
    public async Task Disconnect_WithoutDisconnectPacket_ClosesWithoutWaitingForTheBroker()
    {
        var socket = new SocketStandIn { BlockReads = true };
        using var channel = new BufferedChannel(socket);
        await channel.WriteAsync(new ReadOnlySequence<byte>([0x40, 2, 0, 1]), true, CancellationToken.None);

        await channel.DisconnectAsync(CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(0, socket.ReadCount);
        Assert.True(socket.DisconnectCalled);
    }

    [Fact]
    public async Task Disconnect_BrokerNeverCloses_GivesUpWhenItsTokenSays()
    {
        var socket = new SocketStandIn { BlockReads = true };
        using var channel = new BufferedChannel(socket);
        await channel.WriteAsync(new ReadOnlySequence<byte>([0xE0, 0]), true, CancellationToken.None);
        using var timeout = new CancellationTokenSource();

        var disconnect = channel.DisconnectAsync(timeout.Token);
        await socket.WaitForReadStartedAsync().WaitAsync(Bound);
        Assert.False(disconnect.IsCompleted);
        await timeout.CancelAsync();
        await disconnect.WaitAsync(Bound);

        Assert.True(socket.DisconnectCalled);
    }

    [Fact]
    public async Task Disconnect_SocketNotTakingData_GivesUpWhenItsTokenSays()
    {
        var socket = new SocketStandIn { Gated = true };
        using var channel = new BufferedChannel(socket);
        await channel.WriteAsync(Bytes(9, 2), true, CancellationToken.None);
        using var timeout = new CancellationTokenSource();

        var disconnect = channel.DisconnectAsync(timeout.Token);
        await timeout.CancelAsync();
        await disconnect.WaitAsync(Bound);

        Assert.True(socket.DisconnectCalled);
    }

    [Fact]
    public async Task Write_PastTheHighWaterMark_WaitsForTheSocket()
    {
        var socket = new SocketStandIn { Gated = true };
        using var channel = new BufferedChannel(socket);

        var big = channel.WriteAsync(Bytes(1, BufferedChannel.HighWater), true, CancellationToken.None);
        Assert.False(big.IsCompleted);

        socket.Open();
        await big.WaitAsync(Bound);
        Assert.Equal(BufferedChannel.HighWater, socket.Written.Count);
    }

    [Fact]
    public async Task Write_PastTheHighWaterMark_CanBeCancelled()
    {
        var socket = new SocketStandIn { Gated = true };
        using var channel = new BufferedChannel(socket);
        using var cts = new CancellationTokenSource();

        var big = channel.WriteAsync(Bytes(1, BufferedChannel.HighWater), true, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => big.WaitAsync(Bound));
    }

    [Fact]
    public async Task Write_PastTheHighWaterMark_SocketFails_TheWriterHearsOfIt()
    {
        var socket = new SocketStandIn { FailWrites = true };
        using var channel = new BufferedChannel(socket);

        await Assert.ThrowsAsync<MqttCommunicationException>(() => channel.WriteAsync(Bytes(1, BufferedChannel.HighWater), true, CancellationToken.None).WaitAsync(Bound));
    }

    private static ReadOnlySequence<byte> Bytes(byte value, int count) => new(Enumerable.Repeat(value, count).ToArray());

    /// <summary>
    /// The socket under the channel: records writes, serves queued reads. When <see cref="Gated"/>,
    /// each write waits for a permit (<see cref="Permit"/>) or for <see cref="Open"/>.
    /// </summary>
    private sealed class SocketStandIn : IMqttChannel
    {
        private readonly SemaphoreSlim permits = new(0);
        private readonly Lock gate = new();
        private readonly List<byte> written = [];
        private readonly List<(Func<bool> Done, TaskCompletionSource Signal)> waiters = [];
        private int writesStarted;
        private bool open;

        public bool Gated { get; init; }
        public bool FailWrites { get; init; }

        /// <summary>Reads wait until cancelled (a broker that never closes).</summary>
        public bool BlockReads { get; init; }
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

        public void Permit(int count) => permits.Release(count);

        public void Open()
        {
            lock (gate)
            {
                open = true;
            }

            permits.Release(1000);
        }

        public Task WaitForBytesAsync(int count) => WaitFor(() => written.Count >= count);

        public Task WaitForWriteStartedAsync(int count) => WaitFor(() => writesStarted >= count);

        public Task WaitForReadStartedAsync() => WaitFor(() => ReadCount > 0);

        public Task ConnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task DisconnectAsync(CancellationToken cancellationToken)
        {
            DisconnectCalled = true;
            return Task.CompletedTask;
        }

        public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            lock (gate)
            {
                ReadCount++;
                Signal();
            }

            ObjectDisposedException.ThrowIf(Disposed.Task.IsCompleted, this);
            if (BlockReads)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (!Incoming.TryDequeue(out var data))
            {
                return 0;
            }

            data.CopyTo(buffer, offset);
            return data.Length;
        }

        public async Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
        {
            if (FailWrites)
            {
                throw new IOException("connection reset");
            }

            bool mustWait;
            lock (gate)
            {
                writesStarted++;
                mustWait = Gated && !open;
                Signal();
            }

            if (mustWait)
            {
                await permits.WaitAsync(cancellationToken);
            }

            lock (gate)
            {
                WriteCount++;
                written.AddRange(buffer.ToArray());
                Signal();
            }
        }

        public void Dispose() => Disposed.TrySetResult();

        private Task WaitFor(Func<bool> done)
        {
            lock (gate)
            {
                if (done())
                {
                    return Task.CompletedTask;
                }

                var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                waiters.Add((done, signal));
                return signal.Task;
            }
        }

        private void Signal()
        {
            foreach (var w in waiters.Where(w => w.Done()).ToList())
            {
                w.Signal.TrySetResult();
                waiters.Remove(w);
            }
        }
    }
}
