using MqttRules.IntegrationTests.Infrastructure;
using MqttRules.Mqtt;

namespace MqttRules.IntegrationTests.Live;

/// <summary>Client ids never fight: a duplicate id is reported once and backs off; dry runs and recordings use ids of their own.</summary>
public sealed class ClientIdTests
{
    [Theory]
    [InlineData("5")]
    [InlineData("3.1.1")]
    public async Task TwoEnginesWithTheSameId_OneErrorLineNamingTheId_AndABoundedNumberOfReconnects(string protocol)
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var env = new Dictionary<string, string?> { ["MQTTRULES_CLIENT_ID"] = "same-id", ["MQTTRULES_PROTOCOL"] = protocol };
        await using var first = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, MqttRulesCli.Url(broker.Port), env);
        await first.WaitForStderrAsync("Connected to");
        using var dir2 = new TempDir();
        await using var second = MqttRulesCli.Start(dir2, MqttRulesCli.SwitchRules, MqttRulesCli.Url(broker.Port), env);
        var started = System.Diagnostics.Stopwatch.StartNew();

        await Poll.UntilAsync(() => first.CountStderr("is in use by another connection") + second.CountStderr("is in use by another connection") > 0,
            "the duplicate id reported\n" + first.AllOutput + "\n---\n" + second.AllOutput, TimeSpan.FromSeconds(30));
        var elapsed = started.Elapsed;
        await Poll.UntilAsync(() => started.Elapsed > elapsed + TimeSpan.FromSeconds(5), "five more seconds", TimeSpan.FromSeconds(10));

        var connects = first.CountStderr("Connected to") + second.CountStderr("Connected to");
        Assert.True(connects <= 20, $"{connects} connects in {started.Elapsed.TotalSeconds:0} s\n{first.AllOutput}\n---\n{second.AllOutput}");
        foreach (var engine in new[] { first, second })
        {
            Assert.True(engine.CountStderr("is in use by another connection") <= 1, engine.AllOutput);
        }

        var line = first.Stderr.Concat(second.Stderr).First(l => l.Contains("is in use by another connection", StringComparison.Ordinal));
        Assert.Contains("'same-id'", line, StringComparison.Ordinal);
        Assert.Contains("MQTTRULES_CLIENT_ID", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRunBesideLive_LiveKeepsItsSessionAndActsOnce()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var env = new Dictionary<string, string?> { ["MQTTRULES_CLIENT_ID"] = "live-engine" };
        await using var live = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, MqttRulesCli.Url(broker.Port), env);
        await live.WaitForStderrAsync("Connected to");
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "pumps/#");
        using var dir2 = new TempDir();

        // the same MQTTRULES_CLIENT_ID in its environment, as in a container started from the same settings
        await using var dryRun = MqttRulesCli.Start(dir2, MqttRulesCli.SwitchRules, MqttRulesCli.Url(broker.Port), env, "--dry-run");
        await dryRun.WaitForStderrAsync("Connected to");

        await MosquittoClients.PublishAsync(broker.Port, "tank/t9/level", "55", qos: 1);

        await dryRun.WaitForStderrAsync("[dry-run] ");
        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Count > 0, "live command\n" + live.AllOutput);
        await MosquittoClients.PublishAsync(broker.Port, "pumps/marker", "x");
        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/marker x"), "marker");
        Assert.Equal(["pumps/t9/set ON 55", "pumps/marker x"], MosquittoClients.Messages(sub));
        Assert.Equal(1, live.CountStderr("Connected to"));
        Assert.DoesNotContain(live.Stderr, l => l.Contains("Lost the connection", StringComparison.Ordinal));
        Assert.Contains(dryRun.Stderr, l => l.Contains("as mqttrules-dryrun-", StringComparison.Ordinal) && l.Contains("session new", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoRecordings_SecondWithItsOwnId_EachRecordsEverything()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var outputs = new[] { Path.Combine(dir.Path, "a.jsonl"), Path.Combine(dir.Path, "b.jsonl") };
        await using var a = MqttRulesCli.StartCommand(dir, "record", null, MqttRulesCli.Url(broker.Port), null, "--out", outputs[0]);
        await using var b = MqttRulesCli.StartCommand(dir, "record", null, MqttRulesCli.Url(broker.Port), null, "--out", outputs[1], "--client-id", "mqttrules-record-second");
        await a.WaitForStderrAsync("Connected to");
        await b.WaitForStderrAsync("Connected to");

        await MosquittoClients.PublishAsync(broker.Port, "home/x", "1", qos: 1);

        foreach (var path in outputs)
        {
            await Poll.UntilAsync(() => File.Exists(path) && File.ReadAllText(path).Contains("home/x", StringComparison.Ordinal), path + "\n" + a.AllOutput + "\n---\n" + b.AllOutput);
        }

        Assert.Equal(1, a.CountStderr("Connected to"));
        Assert.Equal(1, b.CountStderr("Connected to"));
        Assert.Contains(a.Stderr, l => l.Contains("as " + MqttSettings.DefaultClientId("mqttrules-record") + " ", StringComparison.Ordinal));
    }
}
