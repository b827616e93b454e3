using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MqttRules.Diagnostics;
using MqttRules.Mqtt;

namespace MqttRules.Hosting;

/// <summary><c>--http ADDR</c>: <c>GET /healthz</c> and <c>GET /metrics</c> on a minimal Kestrel.</summary>
internal static partial class HttpEndpoints
{
    /// <param name="writes">The endpoints that change something (token-protected); null: off.</param>
    /// <param name="rules">The rule state and decisions API (<c>/api/rules</c>), when the engine exposes it.</param>
    /// <param name="status">The status page (<c>/</c>) and <c>/api/status</c>, when the engine exposes them.</param>
    public static async Task<WebApplication> StartAsync(HostPort listen, EngineMetrics metrics, CancellationToken ct, RuleApi? rules = null, Status.StatusApi? status = null, HttpWrites? writes = null)
    {
        // No reload of appsettings.json on change: the host would watch the working folder (recursively)
        // and wake on every write of the state file when it lives there (docs/benchmarks-live.md).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, NoSignalsLifetime>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(listen.Address, listen.Port));
        var app = builder.Build();
        app.MapGet("/healthz", () => metrics.BrokerConnected
            ? Results.Json(new Health("ok", "connected"), HttpJson.Default.Health)
            : Results.Json(new Health("degraded", "disconnected"), HttpJson.Default.Health, statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/metrics", () => Results.Text(metrics.ToPrometheusText(), "text/plain; version=0.0.4; charset=utf-8"));
        rules?.Map(app);
        status?.Map(app);
        MapWrites(app, writes);
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw new MqttConfigException($"--http {listen}: cannot listen ({ex.Message})");
        }

        return app;
    }

    public sealed record Health(string status, string broker);

    /// <summary>Signals belong to the command, not to Kestrel's host.</summary>
    private sealed class NoSignalsLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(HttpEndpoints.Health))]
internal sealed partial class HttpJson : System.Text.Json.Serialization.JsonSerializerContext;
