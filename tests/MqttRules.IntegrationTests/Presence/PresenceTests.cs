using System.Text.Json;
using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Presence;

/// <summary>
/// Issue 15.2 against a real Mosquitto, the CLI as a process, and mosquitto_sub as the observer:
/// the retained status with its Last Will, engine events, firing states and Home Assistant discovery.
/// </summary>
public sealed class PresenceTests
{
    private const int Kill = 9;

    private const string HotRules = """
        rules:
          - id: hot
            topic: rooms/{room}/temp
            when: value > 30
            actions: [ { log: "hot {{room}}" } ]
          - id: leak
            topic: water/{meter}/flow
            when: value > 10
            actions: [ { log: "leak {{meter}}" } ]
        """;

    /// <summary>A subscriber printing <c>retained topic payload</c>.</summary>
    private static Task<ChildProcess> WatchAsync(int port, params string[] filters) =>
        MosquittoClients.SubscribeAsync(port, filters[0], [.. filters.Skip(1).SelectMany(f => new[] { "-t", f }), "-F", "%r %t %p"]);

    private static IReadOnlyList<string> Lines(ChildProcess sub) => MosquittoClients.Messages(sub);

    /// <summary>Whether <c>topic payload</c> arrived, retained before the subscription or sent while it stood.</summary>
    private static bool Seen(ChildProcess sub, string message) => Lines(sub).Any(l => l.Length > 2 && l[2..] == message);

    private static Dictionary<string, string?> Env(string protocol, string clientId, params (string, string)[] more)
    {
        var env = new Dictionary<string, string?> { ["MQTTRULES_PROTOCOL"] = protocol, ["MQTTRULES_CLIENT_ID"] = clientId };
        foreach (var (k, v) in more)
        {
            env[k] = v;
        }

        return env;
    }

    [Theory]
    [InlineData("5")]
    [InlineData("3.1.1")]
    public async Task Start_RetainedOnline_CleanStop_RetainedOffline(string protocol)
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var engine = MqttRulesCli.Start(dir, HotRules, MqttRulesCli.Url(broker.Port), Env(protocol, "engine-a"));
        await engine.WaitForStderrAsync("Connected to");

        // a late subscriber sees the retained status
        await using var late = await WatchAsync(broker.Port, "mqttrules/status");
        await Poll.UntilAsync(() => Seen(late, "mqttrules/status online"), "online\n" + engine.AllOutput);

        engine.Terminate();
        Assert.Equal(0, await engine.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        await Poll.UntilAsync(() => Lines(late).Contains("0 mqttrules/status offline"), "offline on a clean stop\n" + engine.AllOutput);
        await using var after = await WatchAsync(broker.Port, "mqttrules/status");
        await Poll.UntilAsync(() => Lines(after).Contains("1 mqttrules/status offline"), "retained offline");
    }

    [Theory]
    [InlineData("5")]
    [InlineData("3.1.1")]
    public async Task KillNine_TheBrokerPublishesTheWill_Offline_ThenARestartSaysOnline(string protocol)
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var sub = await WatchAsync(broker.Port, "mqttrules/status");
        await using (var engine = MqttRulesCli.Start(dir, HotRules, MqttRulesCli.Url(broker.Port), Env(protocol, "engine-k")))
        {
            await Poll.UntilAsync(() => Lines(sub).Contains("0 mqttrules/status online"), "online\n" + engine.AllOutput);

            engine.Signal(Kill);
            await engine.WaitForExitAsync(TimeSpan.FromSeconds(10));
            await Poll.UntilAsync(() => Lines(sub).Contains("0 mqttrules/status offline"), "the Will\n" + engine.AllOutput);
            Assert.DoesNotContain("Stopping", engine.AllOutput, StringComparison.Ordinal);
        }

        await using var again = MqttRulesCli.Start(dir, HotRules, MqttRulesCli.Url(broker.Port), Env(protocol, "engine-k"));
        await Poll.UntilAsync(() => Lines(sub).Count(l => l == "0 mqttrules/status online") == 2, "online again\n" + again.AllOutput);
        Assert.Equal(["0 mqttrules/status online", "0 mqttrules/status offline", "0 mqttrules/status online"], Lines(sub));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("3.1.1")]
    public async Task Events_FireAndResolve_JsonOnEventsTopic_FiringRetainedOnThenOff(string protocol)
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var env = Env(protocol, "engine-e", ("MQTTRULES_EVENTS", "true"), ("MQTTRULES_TOPIC_PREFIX", "house/engine"));
        await using var engine = MqttRulesCli.Start(dir, HotRules, MqttRulesCli.Url(broker.Port), env);
        await engine.WaitForStderrAsync("Connected to");
        await using var sub = await WatchAsync(broker.Port, "house/engine/events/#", "house/engine/rules/#");
        await Poll.UntilAsync(() => Seen(sub, "house/engine/rules/hot/firing OFF"), "the state at start\n" + engine.AllOutput);

        // The state at start arrives retained, or live when the subscription came first: count from here.
        var atStart = Lines(sub).Count;
        await MosquittoClients.PublishAsync(broker.Port, "rooms/kitchen/temp", "35", qos: 1);
        await MosquittoClients.PublishAsync(broker.Port, "rooms/kitchen/temp", "20", qos: 1);

        await Poll.UntilAsync(() => Lines(sub).Count(l => l.StartsWith("0 house/engine/events/hot ", StringComparison.Ordinal)) == 2, "two events\n" + engine.AllOutput);
        var events = Lines(sub).Where(l => l.StartsWith("0 house/engine/events/hot ", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l["0 house/engine/events/hot ".Length..]).RootElement).ToArray();
        Assert.Equal(["fire", "resolve"], events.Select(e => e.GetProperty("event").GetString()));
        Assert.All(events, e => Assert.Equal(("hot", "rooms/kitchen/temp", "kitchen"),
            (e.GetProperty("rule").GetString(), e.GetProperty("series").GetString(), e.GetProperty("captures").GetProperty("room").GetString())));
        Assert.Equal([35.0, 20.0], events.Select(e => e.GetProperty("value").GetDouble()));
        Assert.All(events, e => Assert.True(DateTimeOffset.TryParse(e.GetProperty("time").GetString(), out _)));
        Assert.Equal(["0 house/engine/rules/hot/firing ON", "0 house/engine/rules/hot/firing OFF"],
            Lines(sub).Skip(atStart).Where(l => l.StartsWith("0 house/engine/rules/hot/firing", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task EventsOff_NothingButTheStatusAndTheRulesSwitches()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var sub = await WatchAsync(broker.Port, "mqttrules/#", "homeassistant/#");
        await using var engine = MqttRulesCli.Start(dir, HotRules, MqttRulesCli.Url(broker.Port), Env("5", "engine-q"));
        await engine.WaitForStderrAsync("Connected to");

        await MosquittoClients.PublishAsync(broker.Port, "rooms/kitchen/temp", "35", qos: 1);
        await engine.WaitForStderrAsync("hot fired");
        await MosquittoClients.PublishAsync(broker.Port, "mqttrules/marker", "x");
        await Poll.UntilAsync(() => Lines(sub).Contains("0 mqttrules/marker x"), "marker");

        // the run-time switch of each rule (alert lifecycle) is always there; events and firing states are not
        Assert.Equal(["0 mqttrules/status online", "0 mqttrules/marker x"], Lines(sub).Where(l => !l.EndsWith("/enabled ON", StringComparison.Ordinal)));
        Assert.Equal(["0 mqttrules/rules/hot/enabled ON", "0 mqttrules/rules/leak/enabled ON"],
            Lines(sub).Where(l => l.EndsWith("/enabled ON", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("3.1.1")]
    public async Task Discovery_ConfigsRetained_RemovedAfterAReloadThatDropsARule(string protocol)
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var env = Env(protocol, "house-1", ("MQTTRULES_HA_DISCOVERY", "true"), ("MQTTRULES_HA_DISCOVERY_PREFIX", "ha"));
        await using var engine = MqttRulesCli.Start(dir, HotRules, MqttRulesCli.Url(broker.Port), env);
        await engine.WaitForStderrAsync("Connected to");
        await using var sub = await WatchAsync(broker.Port, "ha/#", "mqttrules/rules/#");
        string[] leakTopics = ["ha/binary_sensor/house-1/leak/config", "ha/switch/house-1/leak/config"];
        // retained before the subscription (flag 1), or sent while it stood (flag 0)
        await Poll.UntilAsync(() => Lines(sub).Where(l => l[2..].StartsWith("ha/", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).Distinct().Count() == 4, "four configs\n" + engine.AllOutput);
        var config = Lines(sub).First(l => l[2..].StartsWith("ha/binary_sensor/house-1/hot/config ", StringComparison.Ordinal));
        var json = JsonDocument.Parse(config[(config.IndexOf('{', StringComparison.Ordinal))..]).RootElement;
        Assert.Equal("mqttrules/rules/hot/firing", json.GetProperty("state_topic").GetString());
        Assert.Equal("mqttrules/status", json.GetProperty("availability_topic").GetString());
        await Poll.UntilAsync(() => Seen(sub, "mqttrules/rules/leak/firing OFF"), "the firing state");

        dir.Write("rules.yaml", HotRules[..HotRules.IndexOf("  - id: leak", StringComparison.Ordinal)]);
        engine.Signal(1);
        await engine.WaitForStderrAsync("Reloaded: 1 rules");

        await Poll.UntilAsync(() => leakTopics.All(t => Lines(sub).Contains($"0 {t} ")), "empty retained configs for the dropped rule\n" + engine.AllOutput);
        await Poll.UntilAsync(() => Lines(sub).Contains("0 mqttrules/rules/leak/firing "), "its firing state cleared");
        await using var late = await WatchAsync(broker.Port, "ha/#", "mqttrules/rules/#");
        await MosquittoClients.PublishAsync(broker.Port, "ha/marker", "x");
        await Poll.UntilAsync(() => Lines(late).Contains("0 ha/marker x"), "marker");
        Assert.Equal(
            ["1 ha/binary_sensor/house-1/hot/config", "1 ha/switch/house-1/hot/config", "1 mqttrules/rules/hot/enabled", "1 mqttrules/rules/hot/firing"],
            Lines(late).Where(l => l.StartsWith("1 ", StringComparison.Ordinal)).Select(l => string.Join(' ', l.Split(' ').Take(2))).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TwoInstances_OwnIdsAndPrefixes_OneKilled_TheOtherStaysOnline()
    {
        using var dir = new TempDir();
        using var dir2 = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var sub = await WatchAsync(broker.Port, "+/status", "ha/+/+/+/config");
        var discovery = new[] { ("MQTTRULES_HA_DISCOVERY", "true"), ("MQTTRULES_HA_DISCOVERY_PREFIX", "ha") };
        await using var house = MqttRulesCli.Start(dir, HotRules, MqttRulesCli.Url(broker.Port), Env("5", "house", [("MQTTRULES_TOPIC_PREFIX", "house"), .. discovery]));
        await using var garage = MqttRulesCli.Start(dir2, HotRules, MqttRulesCli.Url(broker.Port), Env("5", "garage", [("MQTTRULES_TOPIC_PREFIX", "garage"), .. discovery]));
        await Poll.UntilAsync(() => Lines(sub).Contains("0 house/status online") && Lines(sub).Contains("0 garage/status online"), "both online");
        await Poll.UntilAsync(() => Lines(sub).Count(l => l.StartsWith("0 ha/", StringComparison.Ordinal)) >= 8, "eight configs\n" + house.AllOutput + garage.AllOutput);
        Assert.Equal(8, Lines(sub).Where(l => l.StartsWith("0 ha/", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).Distinct().Count());

        garage.Signal(Kill);
        await Poll.UntilAsync(() => Lines(sub).Contains("0 garage/status offline"), "the garage's Will");
        await MosquittoClients.PublishAsync(broker.Port, "marker/status", "x");
        await Poll.UntilAsync(() => Lines(sub).Contains("0 marker/status x"), "marker");

        Assert.DoesNotContain("0 house/status offline", Lines(sub));
        Assert.Equal(1, house.CountStderr("Connected to"));
    }

    [Fact]
    public async Task DryRunBesideLive_ClaimsNoStatus_LiveStaysOnline()
    {
        using var dir = new TempDir();
        using var dir2 = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var sub = await WatchAsync(broker.Port, "mqttrules/#");
        var env = Env("5", "live", ("MQTTRULES_EVENTS", "true"));
        await using var live = MqttRulesCli.Start(dir, HotRules, MqttRulesCli.Url(broker.Port), env);
        await Poll.UntilAsync(() => Lines(sub).Contains("0 mqttrules/status online"), "live online");

        await using (var dryRun = MqttRulesCli.Start(dir2, HotRules, MqttRulesCli.Url(broker.Port), env, "--dry-run"))
        {
            await dryRun.WaitForStderrAsync("Connected to");
            await MosquittoClients.PublishAsync(broker.Port, "rooms/a/temp", "40", qos: 1);
            await dryRun.WaitForStderrAsync("[dry-run] ");
            dryRun.Terminate();
            Assert.Equal(0, await dryRun.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        }

        await Poll.UntilAsync(() => Lines(sub).Any(l => l.StartsWith("0 mqttrules/events/hot ", StringComparison.Ordinal)), "the live engine's event");
        await MosquittoClients.PublishAsync(broker.Port, "mqttrules/marker", "x");
        await Poll.UntilAsync(() => Lines(sub).Contains("0 mqttrules/marker x"), "marker");
        Assert.Equal(["0 mqttrules/status online"], Lines(sub).Where(l => l.Contains("/status", StringComparison.Ordinal)));
        Assert.Single(Lines(sub), l => l.StartsWith("0 mqttrules/events/hot ", StringComparison.Ordinal));
        // the rules' retained switch states come from the live engine only (one per rule)
        Assert.Equal(["0 mqttrules/rules/hot/enabled ON", "0 mqttrules/rules/leak/enabled ON"],
            Lines(sub).Where(l => l.Contains("/enabled ", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EmbeddedBroker_OnlineWhileRunning_OfflineOnACleanStop()
    {
        using var dir = new TempDir();
        var port = Ports.Free();
        var env = Env("5", "embedded-1", ("MQTTRULES_EMBEDDED_LISTEN", $"127.0.0.1:{port}"));
        await using var engine = MqttRulesCli.Start(dir, HotRules, "embedded", env);
        await engine.WaitForStderrAsync("Connected to");

        await using var sub = await WatchAsync(port, "mqttrules/status");
        await Poll.UntilAsync(() => Seen(sub, "mqttrules/status online"), "online\n" + engine.AllOutput);
        engine.Terminate();
        await Poll.UntilAsync(() => Lines(sub).Contains("0 mqttrules/status offline"), "offline before the broker stops\n" + engine.AllOutput);
        Assert.Equal(0, await engine.WaitForExitAsync(TimeSpan.FromSeconds(15)));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("3.1.1")]
    public async Task BrokerRestartedWithoutPersistence_OnlineConfigsAndFiringStatesSentAgain(string protocol)
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var env = Env(protocol, "house-r", ("MQTTRULES_HA_DISCOVERY", "true"));
        await using var engine = MqttRulesCli.Start(dir, HotRules, MqttRulesCli.Url(broker.Port), env);
        await engine.WaitForStderrAsync("Connected to");
        await MosquittoClients.PublishAsync(broker.Port, "rooms/a/temp", "35", qos: 1);
        await engine.WaitForStderrAsync("hot fired");

        await broker.StopAsync();
        await broker.RestartAsync();
        await engine.WaitForStderrAsync("Connected to", count: 2, timeout: TimeSpan.FromSeconds(30));

        // a new broker keeps no retained message: all of them come from the engine again
        await using var late = await WatchAsync(broker.Port, "mqttrules/#", "homeassistant/#");
        await Poll.UntilAsync(() => Seen(late, "mqttrules/status online") && Seen(late, "mqttrules/rules/hot/firing ON") && Seen(late, "mqttrules/rules/leak/firing OFF")
            && Lines(late).Count(l => l.Contains("/config {", StringComparison.Ordinal)) >= 4, "everything again\n" + engine.AllOutput);
    }

    [Fact]
    public async Task BrokerAclDeniesThePrefix_EngineRunsAndSaysWhy()
    {
        using var dir = new TempDir();
        var acl = dir.Write("acl", "topic readwrite rooms/#\ntopic readwrite pumps/#\n");
        File.SetUnixFileMode(acl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await using var broker = await Mosquitto.StartAsync(dir, $"acl_file {acl}");
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules.Replace("tank/{tank}/level", "rooms/{tank}/level", StringComparison.Ordinal),
            MqttRulesCli.Url(broker.Port), Env("5", "engine-acl"));

        await engine.WaitForStderrAsync("Could not publish online on mqttrules/status: the broker refused it (NotAuthorized)");
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "pumps/#");
        await MosquittoClients.PublishAsync(broker.Port, "rooms/t1/level", "50", qos: 1);
        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/t1/set ON 50"), "the rule still acts\n" + engine.AllOutput);
        Assert.Contains("MQTTRULES_TOPIC_PREFIX", engine.AllOutput, StringComparison.Ordinal);
    }
}
