using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;
using MQTTnet.Exceptions;

namespace MqttRules.Mqtt;

/// <summary>
/// Wraps MQTTnet's TCP channel so that a message costs a fraction of a system call instead of
/// three. MQTTnet reads every packet with two socket reads (the 2-byte fixed header, then the body)
/// and writes every packet, a 4-byte PUBACK included, with its own send under its send lock.
/// <list type="bullet">
/// <item>Reads are served from a 64 KB buffer filled by one socket read at a time.</item>
/// <item>Writes are copied into a pending buffer and return at once. At the end of each packet the
/// writer itself writes everything pending with one socket write (a non-blocking send: it returns
/// at once when the socket takes it, which on a healthy connection it does) unless a flush is
/// already running, which then takes the new bytes too. Inside a <see cref="WriteBatch"/> (the
/// engine loop opens one around each evaluated batch) the flush waits for the end of the batch, so
/// a batch's PUBACKs and the alerts it publishes leave together; a packet's header and payload never
/// leave apart. No thread hand-off per write: at a steady rate a hop to a thread-pool worker per
/// packet cost more than the write.</item>
/// </list>
/// Order is kept (MQTTnet serialises writes; flushes run one at a time, oldest bytes first). A
/// write only waits (cancellably) when more than <see cref="HighWater"/> bytes are pending. A
/// failed socket write closes the channel: the next read fails with its cause, so MQTTnet's
/// receive loop ends and reports it, and the connection loop reconnects; later writes fail.
/// Once <see cref="DisconnectAsync"/> has begun, no more writes are taken. After a DISCONNECT
/// packet, it waits (up to <see cref="CloseWait"/>) for the broker to close the connection before
/// closing the socket: closing a socket that still has unread incoming data sends a reset, and the
/// broker then discards what it had not read yet — under load, thousands of acknowledgements,
/// which it would redeliver as duplicates after a restart.
/// </summary>
internal sealed class BufferedChannel : IMqttChannel
{
    public const int ReadBufferSize = 64 * 1024;
    public const int HighWater = 1024 * 1024;
    public static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(4);

    private const byte DisconnectPacket = 0xE0;

    /// <summary>Completed read results by length, made once each (a read from the buffer then allocates nothing).</summary>
    private static readonly Task<int>?[] CompletedReads = new Task<int>?[4097];

    private readonly IMqttChannel inner;
    private readonly CancellationTokenSource closing = new();
    private readonly Lock writeGate = new();

    private readonly byte[] readBuffer = new byte[ReadBufferSize];
    private int readStart;
    private int readEnd;

    private byte[] pending = new byte[4096];
    private byte[] spare = new byte[4096];
    private int pendingLength;
    private TaskCompletionSource? flushing;
    private bool flushRunning;
    private bool writesClosed;
    private bool atPacketStart = true;
    private bool disconnectSent;
    private Exception? writeError;
    private Task innerRead = Task.CompletedTask;
    private volatile bool draining;

    public BufferedChannel(IMqttChannel inner)
    {
        this.inner = inner;
    }

    public X509Certificate2 ClientCertificate => inner.ClientCertificate;
    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;
    public EndPoint LocalEndPoint => inner.LocalEndPoint;
    public bool IsSecureConnection => inner.IsSecureConnection;

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    /// <summary>
    /// Lets what is pending (the last acknowledgements, the DISCONNECT) reach the socket and, after a
    /// DISCONNECT, the broker read it; then closes the socket.
    /// </summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        Task flush;
        bool afterDisconnectPacket;
        lock (writeGate)
        {
            // What is pending now still goes out; nothing after it (the loop then ends when it is written).
            writesClosed = true;
            flush = flushRunning ? flushing!.Task : Task.CompletedTask;
            afterDisconnectPacket = disconnectSent;
        }

        try
        {
            await flush.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (afterDisconnectPacket && WriteError is null)
            {
                await DrainUntilBrokerClosesAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Closing anyway: what was not written or read is redelivered by the broker (persistent session).
        }

        await inner.DisconnectAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (draining)
        {
            return Completed(0);
        }

        if (readEnd > readStart)
        {
            return Completed(CopyBuffered(buffer, offset, count));
        }

        return FillAndReadAsync(buffer, offset, count, cancellationToken);
    }

    public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
    {
        bool wait;
        lock (writeGate)
        {
            if (writeError is not null || writesClosed)
            {
                return Task.FromException(Closed());
            }

            if (atPacketStart && !buffer.IsEmpty && buffer.FirstSpan[0] == DisconnectPacket)
            {
                disconnectSent = true;
            }

            atPacketStart = isEndOfPacket;
            Append(buffer);
            if (!isEndOfPacket && pendingLength < HighWater)
            {
                return Task.CompletedTask;
            }

            if (flushRunning)
            {
                // Backpressure: past the high-water mark the caller waits until everything pending is written.
                return pendingLength < HighWater ? Task.CompletedTask : WaitForFlushAsync(flushing!.Task, cancellationToken);
            }

            wait = pendingLength >= HighWater;
            if (!wait && WriteBatch.Defer(this))
            {
                return Task.CompletedTask;
            }

            BeginFlush();
        }

        var flush = FlushLoopAsync();
        return wait ? WaitForFlushAsync(flush, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>Writes what a <see cref="WriteBatch"/> held back, unless a flush is running (it takes it).</summary>
    internal void FlushDeferred()
    {
        lock (writeGate)
        {
            if (flushRunning || pendingLength == 0 || writeError is not null)
            {
                return;
            }

            BeginFlush();
        }

        _ = FlushLoopAsync();
    }

    private void BeginFlush()
    {
        flushRunning = true;
        flushing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Dispose()
    {
        // Not disposed: a flush may still read its token; a source without timers holds nothing to free.
        closing.Cancel();
        inner.Dispose();
    }

    private int CopyBuffered(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(count, readEnd - readStart);
        Buffer.BlockCopy(readBuffer, readStart, buffer, offset, n);
        readStart += n;
        return n;
    }

    private async Task<int> FillAndReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (count >= readBuffer.Length)
        {
            return await inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
        }

        int read;
        try
        {
            var pendingRead = inner.ReadAsync(readBuffer, 0, readBuffer.Length, cancellationToken);
            innerRead = pendingRead;
            read = await pendingRead.ConfigureAwait(false);
        }
        catch (Exception) when (WriteError is { } cause)
        {
            throw WriteFailed(cause);
        }

        if (read <= 0)
        {
            // A write failure closed the socket under the reader: report its cause, not a quiet end.
            return WriteError is { } cause ? throw WriteFailed(cause) : read;
        }

        (readStart, readEnd) = (0, read);
        return CopyBuffered(buffer, offset, count);
    }

    /// <summary>
    /// Reads and discards until the broker closes the connection (it does once it has processed our
    /// DISCONNECT), at most <see cref="CloseWait"/>. MQTTnet has stopped its receive loop by now;
    /// it is told the connection ended if it reads again.
    /// </summary>
    private async Task DrainUntilBrokerClosesAsync(CancellationToken cancellationToken)
    {
        draining = true;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, closing.Token);
        bounded.CancelAfter(CloseWait);
        try
        {
            // The receive loop's last read: cancelled by MQTTnet (the socket stays usable) or finished.
            await innerRead.WaitAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!bounded.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return; // that read failed: the connection is gone already
        }

        var scratch = readBuffer;
        try
        {
            while (await inner.ReadAsync(scratch, 0, scratch.Length, bounded.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Timed out or the connection failed: close anyway.
        }
    }

    private void Append(ReadOnlySequence<byte> buffer)
    {
        var length = checked((int)buffer.Length);
        if (pendingLength + length > pending.Length)
        {
            var grown = new byte[Math.Max(pending.Length * 2, pendingLength + length)];
            pending.AsSpan(0, pendingLength).CopyTo(grown);
            pending = grown;
        }

        buffer.CopyTo(pending.AsSpan(pendingLength));
        pendingLength += length;
    }

    private Exception? WriteError
    {
        get
        {
            lock (writeGate)
            {
                return writeError;
            }
        }
    }

    private MqttCommunicationException Closed() =>
        writeError is { } cause ? WriteFailed(cause) : new MqttCommunicationException("The connection to the broker is closing.");

    private static MqttCommunicationException WriteFailed(Exception cause) => new($"Writing to the broker failed: {cause.Message}", cause);

    private async Task WaitForFlushAsync(Task flush, CancellationToken cancellationToken)
    {
        await flush.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (writeGate)
        {
            if (writeError is not null)
            {
                throw Closed();
            }
        }
    }

    /// <summary>Writes what is pending until nothing is; run by the writer that began it (see <see cref="BeginFlush"/>), usually synchronously.</summary>
    private async Task FlushLoopAsync()
    {
        while (true)
        {
            byte[] chunk;
            int length;
            lock (writeGate)
            {
                if (pendingLength == 0 || writeError is not null)
                {
                    EndFlush();
                    return;
                }

                (chunk, length) = (pending, pendingLength);
                (pending, spare, pendingLength) = (spare, chunk, 0);
            }

            try
            {
                await inner.WriteAsync(new ReadOnlySequence<byte>(chunk, 0, length), isEndOfPacket: true, closing.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                lock (writeGate)
                {
                    writeError = ex;
                    pendingLength = 0;
                    EndFlush();
                }

                // The socket is unusable: closing it ends MQTTnet's receive loop, whose read then reports the cause.
                inner.Dispose();
                return;
            }
        }
    }

    private void EndFlush()
    {
        flushRunning = false;
        flushing!.TrySetResult();
    }

    private static Task<int> Completed(int n) =>
        n < CompletedReads.Length ? CompletedReads[n] ??= Task.FromResult(n) : Task.FromResult(n);
}
