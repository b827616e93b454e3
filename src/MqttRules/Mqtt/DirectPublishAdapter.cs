using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;

namespace MqttRules.Mqtt;

/// <summary>
/// Hands every PUBLISH packet to <paramref name="take"/> straight from MQTTnet's receive loop, on
/// the thread that decoded it. MQTTnet's client would otherwise queue it for a second task of its
/// own, which only then raises the message event: a thread hand-off (a context switch or two) per
/// message at a steady rate. A packet <paramref name="take"/> accepts is not returned to the
/// client, so the client never acknowledges it: the taker does, through <see cref="SendPacketAsync"/>
/// (see <see cref="IncomingMessage.AcknowledgeAsync"/>), once the message was processed, as before.
/// Every other packet (CONNACK, PUBACK, PINGRESP, PUBREL, DISCONNECT ...) goes to the client as it
/// came, except the PINGRESPs that answer <see cref="PingAsync"/>.
/// <para>With a <paramref name="keepAlive"/>, the connection's keep-alive is kept here too (MQTTnet's
/// client is then given none): the CONNECT it writes announces <paramref name="keepAlive"/>, and a
/// timer pings when nothing was written for that long, and closes the connection when the answer
/// does not come within half of it (MQTTnet's rule). MQTTnet's own keep-alive loop wakes four times a
/// second to look at the clock: at idle, two thirds of the engine's wake-ups.</para>
/// </summary>
internal sealed class DirectPublishAdapter(
    IMqttChannelAdapter inner, Func<MqttPublishPacket, IMqttChannelAdapter, bool> take, TimeSpan keepAlive = default, TimeProvider? time = null, bool v5 = false)
    : IMqttChannelAdapter, IPacketTap
{
    private const byte PingRespHeader = 0xD0;

    private volatile bool open; // the broker accepted the connection (CONNACK) and it has not closed since

    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private long lastSent; // when a packet was last written (timestamp)
    private ITimer? keepAliveTimer;

    // PINGREQs written and not answered yet, oldest first: ours (the task to complete) or the
    // client's own keep-alive pings (null: its PINGRESP goes to the client). The broker answers in order.
    private readonly Queue<TaskCompletionSource?> pings = new();
    private readonly Lock pingGate = new();
    private Exception? closed;

    public long BytesReceived => inner.BytesReceived;
    public long BytesSent => inner.BytesSent;
    public X509Certificate2 ClientCertificate => inner.ClientCertificate;
    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;
    public EndPoint LocalEndPoint => inner.LocalEndPoint;
    public bool IsSecureConnection => inner.IsSecureConnection;
    public MqttPacketFormatterAdapter PacketFormatterAdapter => inner.PacketFormatterAdapter;

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        keepAliveTimer?.Dispose();
        Close(new MqttCommunicationException("the connection to the broker was closed"));
        await inner.DisconnectAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a PINGREQ and completes when its PINGRESP arrives, on the receive loop's thread (no
    /// timer, no hand-off: MQTTnet's own ping costs a cancellation timer and a thread-pool hop per
    /// call). Fails when the connection closes first. See <see cref="PingBarrier"/> for what it proves.
    /// </summary>
    public Task PingAsync()
    {
        var answered = new TaskCompletionSource();
        Task written;
        lock (pingGate)
        {
            if (closed is not null)
            {
                return Task.FromException(closed);
            }

            // Queued and written under one lock: MQTTnet's send lock admits writers in the order they
            // came, so the queue's order is the order on the wire.
            pings.Enqueue(answered);
            Volatile.Write(ref lastSent, clock.GetTimestamp());
            written = inner.SendPacketAsync(MqttPingReqPacket.Instance, CancellationToken.None);
        }

        if (!written.IsCompletedSuccessfully)
        {
            _ = FailIfNotWrittenAsync(written, answered);
        }

        return answered.Task;
    }

    public async Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var packet = await inner.ReceivePacketAsync(cancellationToken).ConfigureAwait(false);
                if (packet is null)
                {
                    Close(new MqttCommunicationException("the connection to the broker was closed"));
                    return packet!;
                }

                if (packet is MqttPingRespPacket && Answered())
                {
                    continue;
                }

                if (packet is MqttConnAckPacket)
                {
                    open = true;
                }

                if (packet is not MqttPublishPacket publish || !take(publish, this))
                {
                    return packet;
                }
            }
        }
        catch (Exception ex)
        {
            Close(ex as MqttCommunicationException ?? new MqttCommunicationException(ex));
            throw;
        }
    }

    public void ResetStatistics() => inner.ResetStatistics();

    public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        Volatile.Write(ref lastSent, clock.GetTimestamp());
        if (packet is MqttConnectPacket connect && keepAlive > TimeSpan.Zero)
        {
            connect.KeepAlivePeriod = (ushort)keepAlive.TotalSeconds;
            keepAliveTimer ??= clock.CreateTimer(static s => ((DirectPublishAdapter)s!).KeepAliveDue(), this, keepAlive, Timeout.InfiniteTimeSpan);
        }

        if (packet is not MqttPingReqPacket)
        {
            return inner.SendPacketAsync(packet, cancellationToken);
        }

        lock (pingGate)
        {
            pings.Enqueue(null); // the client's keep-alive: its PINGRESP is the client's
            return inner.SendPacketAsync(packet, cancellationToken);
        }
    }

    public void Dispose()
    {
        keepAliveTimer?.Dispose();
        Close(new MqttCommunicationException("the connection to the broker was closed"));
        inner.Dispose();
    }

    /// <summary>
    /// The keep-alive timer: pings once nothing was written for <c>keepAlive</c> (otherwise looks
    /// again when that will be so); an answer not back within half of it closes the connection.
    /// </summary>
    private void KeepAliveDue()
    {
        var idle = clock.GetElapsedTime(Volatile.Read(ref lastSent));
        if (idle < keepAlive)
        {
            keepAliveTimer?.Change(keepAlive - idle, Timeout.InfiniteTimeSpan);
            return;
        }

        var answered = PingAsync();
        keepAliveTimer?.Change(keepAlive, Timeout.InfiniteTimeSpan);
        _ = CloseUnlessAnsweredAsync(answered);
    }

    private async Task CloseUnlessAnsweredAsync(Task answered)
    {
        try
        {
            await answered.WaitAsync(keepAlive / 2, clock).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // As MQTTnet's keep-alive does: the connection is dead; closing it ends the receive loop, and the client reconnects.
            Close(new MqttCommunicationException($"the broker did not answer a keep-alive ping within {(keepAlive / 2).TotalSeconds:0.#} s"));
            inner.Dispose();
        }
        catch (Exception)
        {
            // The connection ended already; its loss is reported where the receive loop ends.
        }
    }

    /// <summary>
    /// On the reading thread (see <see cref="SocketChannel"/>), before MQTTnet: a PUBLISH it can decode
    /// (<see cref="PublishDecoder"/>) goes to <c>take</c> as it would from <see cref="ReceivePacketAsync"/>,
    /// and a PINGRESP that answers one of our pings completes it. Only between the CONNACK and the
    /// connection's end: what comes while it closes is MQTTnet's to discard, as before.
    /// </summary>
    public bool TryTake(byte header, ReadOnlySpan<byte> body)
    {
        if (!open)
        {
            return false;
        }

        if (header == PingRespHeader && body.IsEmpty)
        {
            return Answered(peek: true);
        }

        return PublishDecoder.Decode(header, body, v5) is { } publish && take(publish, this);
    }

    /// <summary>
    /// A PINGRESP arrived: completes our oldest ping and returns true, or returns false when it answers
    /// the client's (whose entry goes with it, unless <paramref name="peek"/>: the tap leaves the
    /// packet, and so the entry, to MQTTnet's path).
    /// </summary>
    private bool Answered(bool peek = false)
    {
        TaskCompletionSource? ours;
        lock (pingGate)
        {
            if (!pings.TryPeek(out ours) || (ours is null && peek))
            {
                return false;
            }

            pings.Dequeue();
            if (ours is null)
            {
                return false;
            }
        }

        ours.TrySetResult();
        return true;
    }

    /// <summary>No more answers will come: every ping still waiting fails with <paramref name="reason"/>.</summary>
    private void Close(Exception reason)
    {
        open = false;
        TaskCompletionSource?[] waiting;
        lock (pingGate)
        {
            closed ??= reason;
            waiting = [.. pings];
            pings.Clear();
        }

        foreach (var ping in waiting)
        {
            ping?.TrySetException(closed);
        }
    }

    private static async Task FailIfNotWrittenAsync(Task written, TaskCompletionSource answered)
    {
        try
        {
            await written.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            answered.TrySetException(ex);
        }
    }
}
