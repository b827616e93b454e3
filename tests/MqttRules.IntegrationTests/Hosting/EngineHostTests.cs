using MqttRules.Hosting;
using MqttRules.IntegrationTests.Infrastructure;
using MqttRules.IntegrationTests.Peers;
using MqttRules.Loading;
using MqttRules.Mqtt;

namespace MqttRules.IntegrationTests.Hosting;

/// <summary>
/// Issue 11.3: the engine host from the library alone (no CLI types), with its defaults, against a
/// real mosquitto: it starts its stages in the documented order, runs an action, and stops them in reverse.
/// </summary>
public sealed class EngineHostTests
{
    private static readonly string[] StartOrder = ["state", "outbox", "http", "broker", "engine"];

    [Fact]
    public async Task RunAsync_LibraryOnly_PublishesActionAndStopsStagesInReverse()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "pumps/#");
        var logs = new CollectingLogger();
        await using var host = Build(dir, broker.Port, logs);
        using var stop = new CancellationTokenSource();

        var run = host.RunAsync(stop.Token);
        await Poll.UntilAsync(() => logs.Lines.Any(l => l.Contains("Subscribed to", StringComparison.Ordinal)), "subscribed\n" + string.Join("\n", logs.Lines));
        await MosquittoClients.PublishAsync(broker.Port, "tank/t1/level", "42", qos: 1);
        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/t1/set ON 42"), "pumps/t1/set ON 42\n" + string.Join("\n", logs.Lines));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(StartOrder, Stages(logs, "Started stage "));
        Assert.Equal(StartOrder.Reverse(), Stages(logs, "Stopped stage "));
        Assert.True(File.Exists(dir.FilePath("state.db")), "the host keeps its state in the configured file");
    }

    [Fact]
    public void Build_StateFileUnusable_ConfigErrorBeforeAnythingStarts()
    {
        using var dir = new TempDir();
        var logs = new CollectingLogger();

        var ex = Assert.Throws<MqttRules.Configuration.ConfigException>(() => Build(dir, Ports.Free(), logs, statePath: dir.Path));

        Assert.Contains("is a folder", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Stages(logs, "Started stage "));
    }

    private static EngineHost Build(TempDir dir, int port, CollectingLogger logs, string? statePath = null)
    {
        var loaded = RuleLoader.LoadText(MqttRulesCli.SwitchRules);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        var env = new Dictionary<string, string?>();
        return new EngineHostBuilder(loaded.Rules)
            .Configure(o => o with
            {
                Broker = MqttSettings.FromEnvironment(MqttRulesCli.Url(port), "it-host-" + Guid.NewGuid().ToString("N")[..8], env.GetValueOrDefault),
                StatePath = statePath ?? dir.FilePath("state.db"),
                Http = new HostPort(System.Net.IPAddress.Loopback, Ports.Free()),
                Environment = env.GetValueOrDefault,
                Loggers = logs.Factory(),
            })
            .Build();
    }

    private static List<string> Stages(CollectingLogger logs, string prefix) =>
        logs.Lines.Select(l => l.IndexOf(prefix, StringComparison.Ordinal) is var i and >= 0 ? l[(i + prefix.Length)..].Trim() : null)
            .OfType<string>().ToList();
}
