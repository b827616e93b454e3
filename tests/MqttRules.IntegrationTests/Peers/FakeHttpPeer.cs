using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MqttRules.IntegrationTests.Peers;

/// <summary>One request as the peer saw it.</summary>
public sealed record Received(int Number, string Method, string Url, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At);

/// <summary>
/// An in-test Kestrel server on 127.0.0.1. The handler gets each request (numbered from 1) and writes
/// the response; every request is recorded.
/// </summary>
public sealed class FakeHttpPeer : IAsyncDisposable
{
    private readonly WebApplication app;
    private int count;

    private FakeHttpPeer(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
    }

    public int Port { get; }
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}");
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Requests answered with 2xx.</summary>
    public int Accepted => Volatile.Read(ref accepted);

    private int accepted;

    public static async Task<FakeHttpPeer> StartAsync(Func<Received, HttpContext, Task> handler, int? port = null)
    {
        var chosen = port ?? FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, chosen));
        var app = builder.Build();
        var peer = new FakeHttpPeer(app, chosen);
        app.Run(async ctx =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            var body = await reader.ReadToEndAsync(ctx.RequestAborted);
            var headers = ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var received = new Received(Interlocked.Increment(ref peer.count), ctx.Request.Method,
                $"{ctx.Request.Scheme}://{ctx.Request.Host}{ctx.Request.Path}{ctx.Request.QueryString}", headers, body, DateTimeOffset.UtcNow);
            peer.Requests.Enqueue(received);
            await handler(received, ctx);
            if (ctx.Response.StatusCode is >= 200 and < 300)
            {
                Interlocked.Increment(ref peer.accepted);
            }
        });
        await app.StartAsync();
        return peer;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await app.StopAsync(cts.Token);
        await app.DisposeAsync();
    }
}
