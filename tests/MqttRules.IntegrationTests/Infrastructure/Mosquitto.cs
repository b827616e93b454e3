using System.Diagnostics;

namespace MqttRules.IntegrationTests.Infrastructure;

/// <summary>
/// A real mosquitto on a free loopback port (MQTTnet's broker in-process only when
/// /usr/sbin/mosquitto is missing), configured by the test (anonymous by default, no
/// persistence, a large <c>max_queued_messages</c> so bursts to an absent client are kept).
/// </summary>
public sealed class Mosquitto : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/mosquitto";
    private readonly string directory;
    private readonly string config;
    private ChildProcess? process;
    private MQTTnet.Server.MqttServer? fallback;

    private Mosquitto(string directory, string config, int port)
    {
        this.directory = directory;
        this.config = config;
        Port = port;
    }

    public static bool Available => File.Exists(Binary);

    public int Port { get; }

    /// <summary>Extra listeners (TLS) added by <see cref="StartAsync"/>'s caller.</summary>
    public string Directory => directory;

    public static async Task<Mosquitto> StartAsync(TempDir dir, string extraConfig = "", bool anonymous = true, int? port = null)
    {
        var p = port ?? Ports.Free();
        if (!Available)
        {
            if (extraConfig.Length > 0 || !anonymous)
            {
                throw new InvalidOperationException("this test needs mosquitto for its TLS/password listener (apt-get install mosquitto mosquitto-clients)");
            }

            var embedded = new Mosquitto(dir.Path, "", p);
            await embedded.RestartAsync();
            return embedded;
        }

        var conf = $"""
            per_listener_settings false
            listener {p} 127.0.0.1
            allow_anonymous {(anonymous ? "true" : "false")}
            persistence false
            max_queued_messages 100000
            max_inflight_messages 100
            log_dest stdout
            log_type error
            log_type warning
            {extraConfig}
            """;
        var path = Path.Combine(dir.Path, $"mosquitto-{p}.conf");
        await File.WriteAllTextAsync(path, conf.Replace("\r", "", StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var m = new Mosquitto(dir.Path, path, p);
        await m.RestartAsync();
        return m;
    }

    /// <summary>Starts (again) on the same port with the same configuration.</summary>
    public async Task RestartAsync()
    {
        if (!Available)
        {
            // Fallback only when mosquitto is missing: MQTTnet's broker (no $share, no 3.1.1 empty client ids).
            var factory = new MQTTnet.Server.MqttServerFactory();
            fallback = factory.CreateMqttServer(factory.CreateServerOptionsBuilder().WithDefaultEndpoint()
                .WithDefaultEndpointBoundIPAddress(System.Net.IPAddress.Loopback).WithDefaultEndpointPort(Port).WithPersistentSessions().Build());
            await fallback.StartAsync();
            return;
        }

        process = ChildProcess.Start(Binary, ["-c", config]);
        await Poll.UntilAsync(async () => process.HasExited ? throw new InvalidOperationException("mosquitto exited:\n" + process.AllOutput) : await Ports.IsOpenAsync(Port), $"mosquitto on port {Port}");
    }

    /// <summary>Stops the broker (SIGTERM) and waits until the port is closed.</summary>
    public async Task StopAsync()
    {
        if (fallback is not null)
        {
            await fallback.StopAsync(new MQTTnet.Server.MqttServerStopOptions());
            fallback.Dispose();
            fallback = null;
        }

        if (process is null)
        {
            return;
        }

        process.Terminate();
        await process.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await process.DisposeAsync();
        process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

/// <summary>mosquitto_pub and mosquitto_sub: peers that share no code with the engine.</summary>
public static class MosquittoClients
{
    public static async Task PublishAsync(int port, string topic, string payload, int qos = 0, bool retain = false, params string[] extra)
    {
        var args = new List<string> { "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", topic, "-m", payload, "-q", qos.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (retain)
        {
            args.Add("-r");
        }

        args.AddRange(extra);
        await using var p = ChildProcess.Start("/usr/bin/mosquitto_pub", args);
        var code = await p.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.True(code == 0, $"mosquitto_pub failed ({code}): {p.AllOutput}");
    }

    /// <summary>A subscriber printing <c>topic payload</c> lines; returns once its SUBACK arrived.</summary>
    public static async Task<ChildProcess> SubscribeAsync(int port, string filter, params string[] extra)
    {
        var args = new List<string> { "-oL", "/usr/bin/mosquitto_sub", "-d", "-v", "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", filter };
        args.AddRange(extra);
        var p = ChildProcess.Start("/usr/bin/stdbuf", args);
        await Poll.UntilAsync(() => p.CountStdout("received SUBACK") > 0 || (p.HasExited ? throw new InvalidOperationException(p.AllOutput) : false), "mosquitto_sub SUBACK");
        return p;
    }

    /// <summary>The message lines (<c>topic payload</c>) a subscriber received.</summary>
    public static IReadOnlyList<string> Messages(ChildProcess sub) =>
        sub.Stdout.Where(l => !l.StartsWith("Client ", StringComparison.Ordinal) && !l.StartsWith("Subscribed", StringComparison.Ordinal)).ToList();
}
