using System.Net;
using System.Net.Sockets;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace MqttRules.Mqtt;

/// <summary>
/// The embedded broker's TCP listener, in place of MQTTnet's: it closes connections beyond
/// <see cref="EmbeddedLimits.MaxConnections"/> at once and puts a <see cref="PacketLimitChannel"/>
/// under every client, which MQTTnet's own listener has no option for. A connection that has not
/// sent its whole CONNECT within <see cref="EmbeddedLimits.ConnectTimeoutSeconds"/> is closed, so
/// idle sockets cannot hold the connection limit.
/// </summary>
internal sealed class EmbeddedListener(HostPort listen, EmbeddedLimits limits, EmbeddedRefusals refusals, TimeProvider clock) : IMqttServerAdapter
{
    private readonly PacketBudget budget = new(limits.MaxIncompleteBytes);
    private readonly CancellationTokenSource stopping = new();
    private TcpListener? listener;
    private Task accepting = Task.CompletedTask;
    private int connections;
    private MqttServerOptions options = new();
    private IMqttNetLogger logger = MqttNetNullLogger.Instance;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        (this.options, this.logger) = (options, logger);
        listener = new TcpListener(listen.Address, listen.Port);
        listener.Start();
        accepting = AcceptAsync(listener, stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        await stopping.CancelAsync();
        listener?.Stop();
        await accepting;
    }

    public void Dispose()
    {
        stopping.Cancel();
        listener?.Dispose();
        stopping.Dispose();
    }

    private async Task AcceptAsync(TcpListener socketListener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await socketListener.AcceptSocketAsync(ct);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (ct.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            if (Interlocked.Increment(ref connections) > limits.MaxConnections)
            {
                Interlocked.Decrement(ref connections);
                refusals.TooManyConnections(socket.RemoteEndPoint);
                socket.Dispose();
                continue;
            }

            _ = ServeAsync(socket);
        }
    }

    /// <summary>Runs one client to its end; every failure of a connection ends that connection only.</summary>
    private async Task ServeAsync(Socket socket)
    {
        var remote = socket.RemoteEndPoint;
        try
        {
            socket.NoDelay = true;
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            var tcp = new MqttTcpChannel(stream, socket.LocalEndPoint, remote, null);
            var channel = new PacketLimitChannel(tcp, limits.MaxPacketSize, size => refusals.PacketTooLarge(remote, size),
                budget, size => refusals.OverBudget(remote, size));
            using var deadline = clock.CreateTimer(_ => CloseIfNotConnected(socket, channel, remote), null,
                TimeSpan.FromSeconds(limits.ConnectTimeoutSeconds), Timeout.InfiniteTimeSpan);
            var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax));
            using var adapter = new MqttChannelAdapter(channel, formatter, logger);
            if (ClientHandler is { } handler)
            {
                await handler(adapter);
            }
        }
        catch (Exception)
        {
            // A client's failure (a reset, a refused packet) is its own; MQTTnet has logged what matters.
        }
        finally
        {
            Interlocked.Decrement(ref connections);
            socket.Dispose();
        }
    }

    private void CloseIfNotConnected(Socket socket, PacketLimitChannel channel, EndPoint? remote)
    {
        if (channel.PacketRead)
        {
            return;
        }

        refusals.ConnectTimedOut(remote);
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        socket.Dispose();
    }
}
