using System.Net.Sockets;
using System.Runtime.InteropServices;
using MQTTnet;

namespace MqttRules.Mqtt;

/// <summary>
/// The socket of a broker connection the engine opens itself (<see cref="SocketChannel"/>,
/// <see cref="QuickAckStreamProvider"/>), set up from the client's TCP options as MQTTnet's own
/// channel sets up its socket: buffer sizes, Nagle, linger, the local address, the send timeout.
/// </summary>
internal static class TcpSockets
{
    /// <summary>A new TCP socket of <paramref name="family"/> (unspecified: IPv6 and IPv4 both, where the system has IPv6).</summary>
    public static Socket New(AddressFamily family, MqttClientTcpOptions tcp, TimeSpan timeout)
    {
        var s = family == AddressFamily.Unspecified
            ? new Socket(SocketType.Stream, ProtocolType.Tcp)
            : new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            s.ReceiveBufferSize = tcp.BufferSize;
            s.SendBufferSize = tcp.BufferSize;
            s.NoDelay = tcp.NoDelay;
            s.SendTimeout = (int)timeout.TotalMilliseconds;
            if (tcp.LingerState is { } linger)
            {
                s.LingerState = linger;
            }

            if (tcp.LocalEndpoint is { } local)
            {
                s.Bind(local);
            }

            return s;
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }
}

/// <summary>
/// A socket's descriptor for a system call of our own (<c>recv</c>, <c>send</c>, <c>setsockopt</c>),
/// kept from being closed and reused until disposed. Throws <see cref="ObjectDisposedException"/>
/// when the socket is closed already.
/// </summary>
internal readonly ref struct SocketFd
{
    private readonly SafeHandle handle;
    private readonly bool added;

    public SocketFd(SafeHandle handle)
    {
        this.handle = handle;
        handle.DangerousAddRef(ref added);
        Value = (int)handle.DangerousGetHandle();
    }

    public int Value { get; }

    public void Dispose()
    {
        if (added)
        {
            handle.DangerousRelease();
        }
    }
}
