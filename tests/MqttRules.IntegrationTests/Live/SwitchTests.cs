using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Live;

/// <summary>A rule automates a switch through a real mosquitto, with mosquitto_pub/sub as the devices.</summary>
public sealed class SwitchTests
{
    [Fact]
    public async Task Run_ReadingAboveThreshold_PublishesSwitchCommand()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, MqttRulesCli.Url(broker.Port));
        await engine.WaitForStderrAsync("Subscribed to");
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "pumps/#");

        await MosquittoClients.PublishAsync(broker.Port, "tank/t1/level", "12");
        await MosquittoClients.PublishAsync(broker.Port, "tank/t1/level", "{\"value\": 42.5}", qos: 1);

        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/t1/set ON 42.5"), "pumps/t1/set ON 42.5\n" + engine.AllOutput);
        Assert.Single(MosquittoClients.Messages(sub));
        Assert.Contains(engine.Stderr, l => l.Contains("pump-on matched for tank/t1/level → publish pumps/t1/set \"ON 42.5\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_BurstOfQos1Messages_CommandsArriveAllAndInOrder()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, MqttRulesCli.Url(broker.Port));
        await engine.WaitForStderrAsync("Subscribed to");
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "pumps/#", "-q", "1");
        var lines = dir.Write("burst.txt", string.Join("\n", Enumerable.Range(31, 500)) + "\n");

        await using (var pub = ChildProcess.Start("/bin/sh", ["-c", $"/usr/bin/mosquitto_pub -h 127.0.0.1 -p {broker.Port} -q 1 -t tank/b/level -l < {lines}"]))
        {
            Assert.Equal(0, await pub.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        }

        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Count >= 500, "500 commands\n" + engine.AllOutput);
        Assert.Equal(Enumerable.Range(31, 500).Select(i => $"pumps/b/set ON {i}"), MosquittoClients.Messages(sub));
    }

    [Fact]
    public async Task Run_DryRun_LogsActionJsonAndPublishesNothing()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, MqttRulesCli.Url(broker.Port), null, "--dry-run");
        await engine.WaitForStderrAsync("Subscribed to");
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "pumps/#");

        await MosquittoClients.PublishAsync(broker.Port, "tank/t2/level", "50");

        await engine.WaitForStderrAsync("[dry-run] {\"t\":");
        Assert.Contains(engine.Stderr, l => l.Contains("\"rule\":\"pump-on\",\"event\":\"message\",\"series\":\"tank/t2/level\",\"action\":\"publish\",\"topic\":\"pumps/t2/set\",\"payload\":\"ON 50\"", StringComparison.Ordinal));
        await MosquittoClients.PublishAsync(broker.Port, "pumps/marker", "x");
        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Count > 0, "marker");
        Assert.Equal(["pumps/marker x"], MosquittoClients.Messages(sub));
    }

    [Fact]
    public async Task Run_Sigterm_ExitsZeroWithinTenSeconds()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, MqttRulesCli.Url(broker.Port));
        await engine.WaitForStderrAsync("Subscribed to");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        engine.Terminate();
        var code = await engine.WaitForExitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains(engine.Stderr, l => l.Contains("Stopped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_Sigint_ExitsZero()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, MqttRulesCli.Url(broker.Port));
        await engine.WaitForStderrAsync("Subscribed to");

        engine.Signal(2);

        Assert.Equal(0, await engine.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Run_BadRules_ExitsOneNamingTheProblem()
    {
        using var dir = new TempDir();
        await using var engine = MqttRulesCli.Start(dir, "rules:\n  - id: x\n    topic: a/b\n    colour: red\n    actions: [ { log: hi } ]\n", "mqtt://127.0.0.1:1");

        Assert.Equal(1, await engine.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.Contains(engine.Stderr, l => l.Contains("rules.yaml:4:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_UnreachableBroker_KeepsRetryingUntilStopped()
    {
        using var dir = new TempDir();
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, MqttRulesCli.Url(Ports.Free()));

        await engine.WaitForStderrAsync("unreachable");
        Assert.False(engine.HasExited);
        engine.Terminate();
        Assert.Equal(0, await engine.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }
}
