using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MqttRules.Configuration;
using MqttRules.Hosting;
using MqttRules.Loading;
using MqttRules.Mqtt;

namespace MqttRules.Tests.Hosting;

/// <summary>
/// Issue 11.3: a stage that fails to start stops what has started, in reverse order, and the
/// failure is the error the command reports (no broker is needed: HTTP starts before it).
/// </summary>
public sealed class EngineHostStartFailureTests
{
    [Fact]
    public async Task RunAsync_HttpPortTaken_StartedStagesStopInReverseAndErrorNamesFlag()
    {
        using var db = new TempDb();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var logs = new Lines();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var broker = MqttSettings.FromEnvironment("mqtt://127.0.0.1:1", "c", _ => null);
        await using var host = new EngineHostBuilder(RuleLoader.LoadText("rules: []").Rules)
            .Configure(o => o with { Broker = broker, StatePath = db.Path, Http = new HostPort(IPAddress.Loopback, port), Environment = _ => null, Loggers = loggers })
            .Build();

        var ex = await Assert.ThrowsAsync<MqttConfigException>(() => host.RunAsync(CancellationToken.None));

        Assert.StartsWith("--http ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["Started stage state", "Started stage outbox", "Stopped stage outbox", "Stopped stage state"],
            logs.Texts.Where(t => t.Contains(" stage ", StringComparison.Ordinal)));
        Assert.DoesNotContain(logs.Texts, t => t.StartsWith("Stopped: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_Twice_Refused()
    {
        var broker = MqttSettings.FromEnvironment("mqtt://127.0.0.1:1", "c", _ => null);
        await using var host = new EngineHostBuilder(RuleLoader.LoadText("rules: []").Rules)
            .Configure(o => o with { Broker = broker, Environment = _ => null }).Build();
        await host.RunAsync(new CancellationToken(canceled: true));

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.RunAsync(new CancellationToken(canceled: true)));
    }

    private sealed class Lines : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<string> texts = new();

        public IEnumerable<string> Texts => texts;

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            texts.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }
}
