using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Channel;

namespace MqttRules.Mqtt;

/// <summary>
/// A plain TCP connection to the broker (Linux) read by a thread of its own, which goes on to run
/// what the read completes: MQTTnet's receive loop, the hand-off of each PUBLISH and, while the
/// engine waits for work, the evaluation and the alert's write. A message then costs one wake-up of
/// one thread, straight from the socket's wait queue. With .NET's asynchronous sockets the same read
/// woke the socket engine's thread, which queued the completion to a thread-pool worker, which woke
/// another worker as it took it (docs/benchmarks-live.md): at a steady rate those hand-offs cost more
/// than the rest of the message.
/// <list type="bullet">
/// <item>The socket is only ever used synchronously, so the runtime keeps it in blocking mode and
/// never registers it with its event loop: <see cref="Socket.Receive(Span{byte})"/> is the system
/// call itself. Connecting blocks a thread-pool thread for at most the client's timeout (the
/// socket's send timeout bounds <c>connect</c> on Linux; cancelling shuts the socket down).</item>
/// <item>Writes never block the writer: <c>send</c> with <c>MSG_DONTWAIT</c>; what the kernel does
/// not take at once (a broker that stopped reading) is written on a thread-pool thread as the socket
/// takes it, which the caller awaits.</item>
/// <item>A read waits for <see cref="ReadAsync"/> to ask for it. Asked on the reading thread (the
/// steady state: the receive loop asks for its next packet there), the read starts when the current
/// completion returns, without a wake-up.</item>
/// <item>With a <see cref="Tap"/> (the engine's connection), what is read is cut into packets on the
/// reading thread and the tap takes the PUBLISHes (and the answers to the engine's pings) straight
/// from the buffer; MQTTnet gets the other packets, one at a time and in order.</item>
/// <item>Acknowledgements: what is answered (an alert, a PUBACK) carries its ACK; what is not is
/// acknowledged as soon as it was handled (<see cref="TcpQuickAck.AckNowThenDelay"/>).</item>
/// </list>
/// Not for TLS (MQTTnet's channel, with its <c>SslStream</c>, is kept there) nor other systems.
/// </summary>
internal sealed partial class SocketChannel(MqttClientOptions options) : IMqttChannel
{
    [ThreadStatic]
    private static bool onReadingThread;

    private const int BufferSize = 64 * 1024;

    private readonly MqttClientTcpOptions tcp = (MqttClientTcpOptions)options.ChannelOptions;
    private readonly object gate = new(); // a monitor: the reading thread waits on it for the next read
    private Socket? socket;

    // Under gate: the read asked for and not served; whether the channel was disposed.
    private Read? asked;
    private bool disposed;

    // The reading thread's own: bytes read and not handed out yet; the end of the stream or its failure.
    private readonly byte[] buffer = new byte[BufferSize];
    private int start;
    private int end;
    private bool ended;
    private Exception? failure;

    // The reading thread's own, with a tap: bytes from start on that are MQTTnet's (the rest of the
    // packet it was given, or one too large for the buffer); whether the stream is not MQTT.
    private long owed;
    private bool raw;

    // Socket writes so far (any thread, counted before each send); their count when the reading
    // thread's last receive returned (a write counted later acknowledged what it read).
    private long writes;
    private long writesAtReceive = -1;

    /// <summary>Takes packets before MQTTnet does (set before connecting); null: MQTTnet reads everything.</summary>
    public IPacketTap? Tap { get; set; }

    /// <summary>Whether the current thread is a connection's reading thread.</summary>
    public static bool OnReadingThread => onReadingThread;

    /// <summary>Linux, plain TCP, no stream of the application's own: the cases this channel serves.</summary>
    public static bool Serves(MqttClientOptions options) =>
        OperatingSystem.IsLinux() && options.ChannelOptions is MqttClientTcpOptions { StreamProvider: null } tcp
        && tcp.TlsOptions?.UseTls != true && tcp.ProtocolType == ProtocolType.Tcp;

    public X509Certificate2 ClientCertificate => null!;
    public EndPoint RemoteEndPoint { get; private set; } = null!;
    public EndPoint LocalEndPoint { get; private set; } = null!;
    public bool IsSecureConnection => false;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var addresses = await Addresses(cancellationToken).ConfigureAwait(false);
        var port = tcp.RemoteEndpoint switch
        {
            DnsEndPoint d => d.Port,
            IPEndPoint i => i.Port,
            _ => throw new NotSupportedException($"endpoint {tcp.RemoteEndpoint}"),
        };

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var s = NewSocket(address.AddressFamily);
            try
            {
                await ConnectBlockingAsync(s, new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex) when (!cancellationToken.IsCancellationRequested)
            {
                s.Dispose();
                last = ex;
                continue;
            }
            catch
            {
                s.Dispose();
                throw;
            }

            lock (gate)
            {
                if (disposed)
                {
                    s.Dispose();
                    throw new ObjectDisposedException(nameof(SocketChannel));
                }

                socket = s;
            }

            RemoteEndPoint = s.RemoteEndPoint!;
            LocalEndPoint = s.LocalEndPoint!;
            new Thread(ReadLoop) { IsBackground = true, Name = "MqttRules receive" }.Start();
            return;
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    public Task DisconnectAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Completes with what the reading thread read next (0: the broker closed the connection).</summary>
    public Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var read = new Read(this, buffer, offset, count);
        lock (gate)
        {
            if (disposed || socket is null)
            {
                return Task.FromResult(0);
            }

            if (asked is not null)
            {
                throw new InvalidOperationException("one read at a time");
            }

            asked = read;
            Monitor.Pulse(gate);
        }

        if (cancellationToken.CanBeCanceled)
        {
            read.Cancellation = cancellationToken.UnsafeRegister(static (s, ct) => ((Read)s!).Cancel(ct), read);
        }

        return read.Task;
    }

    public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
    {
        var s = socket ?? throw Closed();
        Interlocked.Increment(ref writes);
        try
        {
            foreach (var segment in buffer)
            {
                var sent = SendNow(s, segment.Span);
                if (sent < segment.Length)
                {
                    return SendWhenWritableAsync(s, buffer.Slice(buffer.GetPosition(sent, buffer.Start)).ToArray(), cancellationToken);
                }

                buffer = buffer.Slice(segment.Length);
            }
        }
        catch (ObjectDisposedException)
        {
            throw Closed();
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Socket? s;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            s = socket;
            Monitor.PulseAll(gate);
        }

        if (s is null)
        {
            return;
        }

        try
        {
            // Wakes the reading thread out of its receive (closing alone would not on Linux).
            s.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        s.Dispose();
    }

    private async Task<IPAddress[]> Addresses(CancellationToken ct) => tcp.RemoteEndpoint switch
    {
        IPEndPoint ip => [ip.Address],
        DnsEndPoint dns when IPAddress.TryParse(dns.Host, out var literal) => [literal],
        DnsEndPoint dns => await Dns.GetHostAddressesAsync(dns.Host, ct).ConfigureAwait(false),
        var other => throw new NotSupportedException($"endpoint {other}"),
    };

    // The send timeout also bounds the blocking connect on Linux (sends never block: see SendNow).
    private Socket NewSocket(AddressFamily family) => TcpSockets.New(family, tcp, options.Timeout);

    /// <summary>A blocking connect (an asynchronous one would put the socket in the runtime's event loop for good).</summary>
    private static async Task ConnectBlockingAsync(Socket s, IPEndPoint endPoint, CancellationToken ct)
    {
        using var abort = ct.UnsafeRegister(static o =>
        {
            try
            {
                ((Socket)o!).Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }
        }, s);
        await Task.Factory.StartNew(static o =>
        {
            var (socket, endPoint) = ((Socket, IPEndPoint))o!;
            socket.Connect(endPoint);
        }, (s, endPoint), CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Serves the reads asked for until the channel is disposed. With a <see cref="Tap"/>, what is
    /// read is cut into packets first: the tap takes the ones it wants right here, the others go to
    /// MQTTnet's read, one packet at a time and in order (the next packet waits until MQTTnet asks
    /// for more, i.e. has handled the one before).
    /// </summary>
    private void ReadLoop()
    {
        onReadingThread = true;
        while (Tap is { } tap && !raw && !ended && failure is null ? ServePacket(tap) : ServeRaw())
        {
        }
    }

    /// <summary>Hands MQTTnet what was read as it comes (no tap; a stream that is not MQTT; its end or failure).</summary>
    private bool ServeRaw()
    {
        if (WaitForRead() is not { } read)
        {
            return false;
        }

        if (start == end && !ended && failure is null)
        {
            Receive();
        }

        Serve(read, int.MaxValue);
        return true;
    }

    /// <summary>One step of the packet mode: MQTTnet gets what it is owed, or the next packet is framed, taken or given.</summary>
    private bool ServePacket(IPacketTap tap)
    {
        if (owed > 0)
        {
            if (WaitForRead() is not { } read)
            {
                return false;
            }

            if (start == end)
            {
                Receive();
            }

            if (start < end)
            {
                owed -= Serve(read, (int)Math.Min(owed, int.MaxValue));
            }

            return true;
        }

        var length = FrameLength(out var headerLength);
        if (length < 0)
        {
            raw = true; // not MQTT: MQTTnet's decoder reports it
            return true;
        }

        if (length > buffer.Length)
        {
            owed = length; // larger than the buffer: streamed to MQTTnet
            return true;
        }

        if (length == 0 || end - start < length)
        {
            Receive();
            return true;
        }

        // MQTTnet has handled what it was given before (it asks for more then): order is kept.
        if (WaitForRead() is null)
        {
            return false;
        }

        bool taken;
        try
        {
            taken = tap.TryTake(buffer[start], buffer.AsSpan(start + headerLength, length - headerLength));
        }
        catch (Exception ex)
        {
            failure = ex; // MQTTnet's read fails with it: the connection ends, as a failing hand-off ended it before
            return true;
        }

        if (taken)
        {
            start += length;
        }
        else
        {
            owed = length;
        }

        return true;
    }

    /// <summary>The read MQTTnet asked for (waits for it); null once the channel is disposed without one.</summary>
    private Read? WaitForRead()
    {
        lock (gate)
        {
            while (asked is null && !disposed)
            {
                Monitor.Wait(gate);
            }

            return asked;
        }
    }

    /// <summary>Completes <paramref name="read"/> with at most <paramref name="max"/> bytes; returns how many it took.</summary>
    private int Serve(Read read, int max)
    {
        lock (gate)
        {
            if (asked != read)
            {
                return 0; // cancelled meanwhile: what was read waits for the next read
            }

            asked = null;
        }

        return read.Complete(max);
    }

    /// <summary>
    /// The length of the packet at <c>start</c> (fixed header included), from its fixed header; 0
    /// while the header is not all here; -1 when its length field is not valid MQTT.
    /// </summary>
    private int FrameLength(out int headerLength)
    {
        headerLength = 0;
        var at = 1;
        var header = buffer.AsSpan(start, end - start);
        if (header.Length < 2)
        {
            return 0;
        }

        if (!PacketFormat.TryReadVariableInteger(header, ref at, out var remaining))
        {
            return at > 4 ? -1 : 0;
        }

        headerLength = at;
        return at + remaining;
    }

    /// <summary>Reads what the socket has, after what is buffered (moved to the front when the buffer's end is reached).</summary>
    private void Receive()
    {
        if (start == end)
        {
            (start, end) = (0, 0);
        }
        else if (end == buffer.Length)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            (start, end) = (0, end - start);
        }

        try
        {
            var s = socket!;
            // Nothing written since the last receive returned: what it read has no answer to carry its ACK.
            if (Volatile.Read(ref writes) == writesAtReceive)
            {
                TcpQuickAck.AckNowThenDelay(s);
            }

            var n = Native.Receive(s.SafeHandle, buffer.AsSpan(end));
            writesAtReceive = Volatile.Read(ref writes);
            end += n;
            ended = n == 0;
        }
        catch (ObjectDisposedException)
        {
            ended = true; // disposed: a graceful end, as MQTTnet's channel reports it
        }
        catch (SocketException ex)
        {
            lock (gate)
            {
                // Shut down by Dispose: a graceful end too.
                ended = disposed;
            }

            failure = ended ? null : ex;
        }
    }

    /// <summary>Copies what was read to the reader's buffer; run on the reading thread, which then runs the reader's continuation.</summary>
    private int Take(byte[] target, int offset, int count)
    {
        var n = Math.Min(count, end - start);
        Buffer.BlockCopy(buffer, start, target, offset, n);
        start += n;
        return n;
    }

    private static int SendNow(Socket s, ReadOnlySpan<byte> data)
    {
        var sent = 0;
        while (sent < data.Length)
        {
            var n = Native.SendNow(s.SafeHandle, data[sent..]);
            if (n >= 0)
            {
                sent += n;
                continue;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == Native.EINTR)
            {
                continue;
            }

            if (errno == Native.EAGAIN)
            {
                break;
            }

            throw new SocketException(Native.ToSocketError(errno));
        }

        return sent;
    }

    /// <summary>
    /// Writes what the kernel did not take at once, on a thread-pool thread: waits (in <c>poll</c>)
    /// until the socket takes more, for as long as the broker needs; ends when the connection does.
    /// </summary>
    private static Task SendWhenWritableAsync(Socket s, byte[] rest, CancellationToken ct) =>
        Task.Factory.StartNew(static o =>
        {
            var (socket, data, ct) = ((Socket, byte[], CancellationToken))o!;
            var sent = 0;
            try
            {
                while (sent < data.Length)
                {
                    ct.ThrowIfCancellationRequested();
                    if (socket.Poll(TimeSpan.FromSeconds(1), SelectMode.SelectWrite))
                    {
                        sent += SendNow(socket, data.AsSpan(sent));
                    }
                }
            }
            catch (ObjectDisposedException)
            {
                throw Closed();
            }
        }, (s, rest, ct), ct, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);

    private static MQTTnet.Exceptions.MqttCommunicationException Closed() => new("The TCP connection is closed.");

    private sealed class Read(SocketChannel channel, byte[] target, int offset, int count) : TaskCompletionSource<int>
    {
        public CancellationTokenRegistration Cancellation { get; set; }

        /// <summary>On the reading thread: hands over what was read (at most <paramref name="max"/> bytes), or the end, or the failure; returns the bytes handed over.</summary>
        public int Complete(int max)
        {
            Cancellation.Dispose();
            if (channel.failure is { } failure)
            {
                TrySetException(failure);
                return 0;
            }

            if (channel.ended && channel.start == channel.end)
            {
                TrySetResult(0);
                return 0;
            }

            var n = channel.Take(target, offset, Math.Min(count, max));
            TrySetResult(n);
            return n;
        }

        public void Cancel(CancellationToken ct)
        {
            lock (channel.gate)
            {
                if (channel.asked != this)
                {
                    return; // served already
                }

                channel.asked = null;
            }

            TrySetCanceled(ct);
        }
    }

    private static partial class Native
    {
        public const int EINTR = 4;
        public const int EAGAIN = 11;
        private const int MSG_DONTWAIT = 0x40;
        private const int MSG_NOSIGNAL = 0x4000;

        public static unsafe int SendNow(SafeHandle socket, ReadOnlySpan<byte> data)
        {
            using var fd = new SocketFd(socket);
            fixed (byte* p = data)
            {
                return (int)send(fd.Value, p, (nuint)data.Length, MSG_DONTWAIT | MSG_NOSIGNAL);
            }
        }

        /// <summary>
        /// A blocking <c>recv</c> (the socket is only ever used synchronously, so it is in blocking
        /// mode): the runtime's own receive costs a message header and three layers more per call.
        /// </summary>
        public static unsafe int Receive(SafeHandle socket, Span<byte> into)
        {
            using var fd = new SocketFd(socket);
            fixed (byte* p = into)
            {
                while (true)
                {
                    var n = (int)recv(fd.Value, p, (nuint)into.Length, 0);
                    if (n >= 0)
                    {
                        return n;
                    }

                    var errno = Marshal.GetLastPInvokeError();
                    if (errno != EINTR)
                    {
                        throw new SocketException(ToSocketError(errno));
                    }
                }
            }
        }

        /// <summary>The usual errno values of a failed send or receive on Linux, as the runtime names them.</summary>
        public static int ToSocketError(int errno) => errno switch
        {
            32 => (int)SocketError.Shutdown, // EPIPE
            104 => (int)SocketError.ConnectionReset, // ECONNRESET
            107 => (int)SocketError.NotConnected, // ENOTCONN
            110 => (int)SocketError.TimedOut, // ETIMEDOUT
            113 => (int)SocketError.HostUnreachable, // EHOSTUNREACH
            101 => (int)SocketError.NetworkUnreachable, // ENETUNREACH
            9 => (int)SocketError.OperationAborted, // EBADF: closed meanwhile
            _ => (int)SocketError.SocketError,
        };

        [LibraryImport("libc", SetLastError = true)]
        private static unsafe partial nint recv(int socket, byte* buffer, nuint length, int flags);

        [LibraryImport("libc", SetLastError = true)]
        private static unsafe partial nint send(int socket, byte* buffer, nuint length, int flags);
    }
}
