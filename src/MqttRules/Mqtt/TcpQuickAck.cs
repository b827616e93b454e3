using System.Net.Sockets;

namespace MqttRules.Mqtt;

/// <summary>
/// Before a read from the broker's connection waits: acknowledge what was read now, not with the
/// kernel's delayed ACK (Linux, <c>TCP_QUICKACK</c>). The engine answers some messages (alerts,
/// pings, PUBACKs) and not others, so the kernel takes the connection for an interactive one and
/// delays the ACK of a message without an answer by up to 40 ms; a broker that sends with Nagle's
/// algorithm (mosquitto's default) then holds its next message back until that ACK comes: 22 ms
/// median latency at any rate (docs/benchmarks-live.md, "Nagle"). When the last answer already
/// carried the ACK, nothing is sent. The flag does not stick (the kernel goes back to delayed ACKs
/// by itself), hence once per read.
/// </summary>
internal static class TcpQuickAck
{
    private const int IpProtoTcp = 6;
    private const int TcpQuickAckOption = 12;

    private static ReadOnlySpan<byte> On => [1, 0, 0, 0];

    /// <summary>Sets it; a socket that cannot (closed meanwhile) is left to the read to report.</summary>
    public static void Set(Socket socket)
    {
        try
        {
            socket.SetRawSocketOption(IpProtoTcp, TcpQuickAckOption, On);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }
}
