using System.Net;
using System.Net.Sockets;
using MQTTnet;
using MQTTnet.Channel;

namespace MqttRules.Mqtt;

/// <summary>
/// The TCP connection under a TLS connection on Linux (MQTTnet's channel still does the TLS, with
/// the client's TLS options): the socket MQTTnet would make (<see cref="TcpSockets"/>), whose stream
/// acknowledges what was read before each read (<see cref="TcpQuickAck"/>). Plain TCP on Linux goes
/// through <see cref="SocketChannel"/>, which acknowledges only what got no answer.
/// </summary>
internal sealed class QuickAckStreamProvider(MqttClientTcpOptions tcp, TimeSpan timeout) : IMqttClientStreamProvider
{
    /// <summary>Whether these options are the ones this provider is for: Linux, TCP, TLS, no stream provider of the application's own.</summary>
    public static bool Serves(MqttClientTcpOptions tcp) =>
        OperatingSystem.IsLinux() && tcp is { StreamProvider: null, ProtocolType: ProtocolType.Tcp } && tcp.TlsOptions?.UseTls == true;

    public async Task<Stream> ConnectAsync(EndPoint remoteEndPoint, CancellationToken cancellationToken)
    {
        var socket = TcpSockets.New(tcp.AddressFamily, tcp, timeout);
        try
        {
            if (tcp.DualMode is { } dual)
            {
                socket.DualMode = dual;
            }

            await socket.ConnectAsync(remoteEndPoint, cancellationToken).ConfigureAwait(false);
            return new QuickAckStream(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class QuickAckStream(Socket socket) : NetworkStream(socket, ownsSocket: true), IMqttClientStreamEndPoints
    {
        public EndPoint? LocalEndPoint { get; } = socket.LocalEndPoint;
        public EndPoint? RemoteEndPoint { get; } = socket.RemoteEndPoint;

        public override int Read(Span<byte> buffer)
        {
            TcpQuickAck.Set(Socket);
            return base.Read(buffer);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            TcpQuickAck.Set(Socket);
            return base.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
