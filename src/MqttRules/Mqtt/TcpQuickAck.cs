using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MqttRules.Mqtt;

/// <summary>
/// When the broker's connection acknowledges what it read (Linux, <c>TCP_QUICKACK</c>). The engine
/// answers some messages (alerts, PUBACKs) and not others, so the kernel takes the connection for an
/// interactive one and delays the ACK of a message without an answer by up to 40 ms; a broker that
/// sends with Nagle's algorithm (mosquitto's default) then holds its next message back until that
/// ACK comes: 22 ms median latency at any rate (docs/benchmarks-live.md, "Nagle").
/// <list type="bullet">
/// <item><see cref="Set(Socket)"/> (TLS, before each read): acknowledge at once. When the last
/// answer already carried the ACK, nothing is sent. The flag does not stick, hence once per read.</item>
/// <item><see cref="AckNowThenDelay"/> (plain TCP, <see cref="SocketChannel"/>): after handling
/// what was read without writing anything, acknowledge it now and go back to delayed ACKs. What is
/// answered is acknowledged by its answer, so no ACK of its own leaves for it: at a steady rate a
/// separate ACK per message cost the engine a segment through the loopback each
/// (docs/benchmarks-live.md).</item>
/// </list>
/// </summary>
internal static partial class TcpQuickAck
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

    /// <summary>
    /// Sends the ACK the kernel holds back now (1: leaves "interactive" mode and acknowledges), then
    /// lets it delay the next one again (0). Failures (closed meanwhile) are left to the read to report.
    /// </summary>
    public static void AckNowThenDelay(Socket socket)
    {
        try
        {
            using var fd = new SocketFd(socket.SafeHandle);
            SetOption(fd.Value, 1);
            SetOption(fd.Value, 0);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static unsafe void SetOption(int fd, int value) => _ = setsockopt(fd, IpProtoTcp, TcpQuickAckOption, &value, sizeof(int));

    [LibraryImport("libc")]
    private static unsafe partial int setsockopt(int socket, int level, int option, int* value, uint length);
}
