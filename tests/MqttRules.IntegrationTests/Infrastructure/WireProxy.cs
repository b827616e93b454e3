using System.Net;
using System.Net.Sockets;

namespace MqttRules.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback TCP relay in front of the broker. After <see cref="DropUpstream"/>, what the engine
/// sends never reaches the broker, while the connection stays open: the packets still on the wire
/// when the engine's host dies (power cut, kernel panic) with its send buffer.
/// </summary>
public sealed class WireProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly List<TcpClient> sockets = [];
    private readonly int target;
    private volatile bool dropping;

    private WireProxy(int target) => this.target = target;

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public static WireProxy Start(int brokerPort)
    {
        var proxy = new WireProxy(brokerPort);
        proxy.listener.Start();
        _ = proxy.AcceptAsync();
        return proxy;
    }

    public void DropUpstream() => dropping = true;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var engine = await listener.AcceptTcpClientAsync(stop.Token);
                var broker = new TcpClient();
                await broker.ConnectAsync(IPAddress.Loopback, target, stop.Token);
                lock (sockets)
                {
                    sockets.Add(engine);
                    sockets.Add(broker);
                }

                _ = PumpAsync(engine, broker, upstream: true);
                _ = PumpAsync(broker, engine, upstream: false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, bool upstream)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await from.GetStream().ReadAsync(buffer, stop.Token)) > 0)
            {
                if (!(upstream && dropping))
                {
                    await to.GetStream().WriteAsync(buffer.AsMemory(0, n), stop.Token);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            from.Close();
            to.Close();
        }
    }

    public ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        lock (sockets)
        {
            sockets.ForEach(s => s.Close());
        }

        stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
