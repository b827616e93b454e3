using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;
using MQTTnet.Exceptions;

namespace MqttRules.Mqtt;

/// <summary>
/// A channel of the embedded broker that follows the MQTT framing of what it reads and fails the
/// read as soon as a packet announces a remaining length over the limit: MQTTnet would otherwise
/// allocate and read the whole announced packet (a 200 MB publish took the engine from 95 to 897 MB)
/// before anything could refuse it. The connection is then closed; nothing of the packet is kept.
/// A packet being received holds its announced length of the shared <see cref="PacketBudget"/>
/// until its last byte is read; one that does not fit in it closes the connection the same way.
/// </summary>
internal sealed class PacketLimitChannel(IMqttChannel inner, int maxPacketSize, Action<long> refused, PacketBudget? budget = null, Action<long>? overBudget = null) : IMqttChannel
{
    private Framing state = Framing.TypeByte;
    private long length;
    private int shift;
    private long remaining;
    private long held;
    private volatile bool packetRead;

    private enum Framing { TypeByte, Length, Body }

    public X509Certificate2 ClientCertificate => inner.ClientCertificate;
    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;
    public EndPoint LocalEndPoint => inner.LocalEndPoint;
    public bool IsSecureConnection => inner.IsSecureConnection;

    /// <summary>True once a whole packet (the CONNECT, MQTTnet refuses any other first) has been read.</summary>
    public bool PacketRead => packetRead;

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);

    public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, isEndOfPacket, cancellationToken);

    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        var read = await inner.ReadAsync(buffer, offset, count, cancellationToken);
        Follow(buffer.AsSpan(offset, read));
        return read;
    }

    public void Dispose()
    {
        Release();
        inner.Dispose();
    }

    /// <summary>Advances the framing over bytes as they are read; throws when a packet is too large.</summary>
    internal void Follow(ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            switch (state)
            {
                case Framing.TypeByte:
                    (state, length, shift) = (Framing.Length, 0, 0);
                    break;
                case Framing.Length:
                    length |= (long)(bytes[i] & 0x7F) << shift;
                    shift += 7;
                    Check();
                    if ((bytes[i] & 0x80) == 0)
                    {
                        (state, remaining) = length == 0 ? (Framing.TypeByte, 0L) : (Framing.Body, length);
                        Begin();
                    }
                    else if (shift == 28)
                    {
                        throw new MqttProtocolViolationException("a packet length longer than four bytes (malformed packet)");
                    }

                    break;
                default:
                    var skip = (int)Math.Min(remaining, bytes.Length - i);
                    remaining -= skip;
                    i += skip - 1;
                    state = remaining == 0 ? Framing.TypeByte : Framing.Body;
                    if (remaining == 0)
                    {
                        Release();
                        packetRead = true;
                    }

                    break;
            }
        }
    }

    /// <summary>A packet's length is known: a bodiless one is read, else its length is taken from the budget.</summary>
    private void Begin()
    {
        if (length == 0)
        {
            packetRead = true;
            return;
        }

        if (budget is null)
        {
            return;
        }

        if (!budget.TryTake(length))
        {
            overBudget?.Invoke(length);
            throw new MqttProtocolViolationException($"a packet of {length} bytes does not fit in the {budget.Total} bytes left for packets being received (MQTTRULES_EMBEDDED_MAX_INCOMPLETE_BYTES)");
        }

        held = length;
    }

    private void Release()
    {
        var bytes = Interlocked.Exchange(ref held, 0);
        if (bytes > 0)
        {
            budget?.Give(bytes);
        }
    }

    private void Check()
    {
        if (length > maxPacketSize)
        {
            refused(length);
            throw new MqttProtocolViolationException($"a packet of {length} bytes is over the embedded broker's limit of {maxPacketSize} bytes (MQTTRULES_EMBEDDED_MAX_PACKET_SIZE)");
        }
    }
}
