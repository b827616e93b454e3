using System.Globalization;
using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Durability;

/// <summary>
/// Issue 10.1: a crash never loses a command. The engine (the CLI as a process) is killed with
/// SIGKILL or stopped with SIGTERM while commands are on their way, then started again over the
/// same state file and broker session; every command of every input arrives at least once.
/// </summary>
public sealed class CrashTests
{
    private const int Flood = 20_000;

    private static string FloodRules(int qos) => $$$"""
        rules:
          - id: command
            topic: flood/{device}
            when: value >= 0
            each_message: true
            actions:
              - publish: { topic: "commands/out", payload: "{{value}}", qos: {{{qos}}} }
        """;

    /// <summary>The model case: the valve is closed by a timer (no input to redeliver), while the broker is away.</summary>
    private const string ValveRules = """
        rules:
          - id: burst
            topic: meters/{meter}/flow
            when: value > 30
            for: 1s
            actions:
              - publish: { topic: "valves/{{meter}}/set", payload: CLOSE, qos: 1 }
          - id: seen
            topic: meters/{meter}/flow
            each_message: true
            actions:
              - log: "reading from {{meter}}"
        """;

    private static Dictionary<string, string?> Env(string name) => new()
    {
        ["MQTTRULES_CLIENT_ID"] = $"it-{name}-{Guid.NewGuid().ToString("N")[..6]}",
        ["MQTTRULES_LOG_LEVEL"] = "information",
    };

    [Fact]
    public Task Run_KilledMidFloodAtQos1_EveryCommandArrivesAfterTheRestart() => KilledMidFloodAsync(qos: 1);

    /// <summary>A QoS 0 command written to the socket is not yet received: the kill discards the send buffer.</summary>
    [Fact]
    public Task Run_KilledMidFloodAtQos0_EveryCommandArrivesAfterTheRestart() => KilledMidFloodAsync(qos: 0);

    private static async Task KilledMidFloodAsync(int qos)
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var env = Env($"flood{qos}");
        var rules = FloodRules(qos);
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "commands/out", "-q", "1");
        var input = dir.Write("flood.txt", string.Join('\n', Enumerable.Range(0, Flood).Select(i => i.ToString(CultureInfo.InvariantCulture))) + "\n");

        await using (var first = MqttRulesCli.Start(dir, rules, MqttRulesCli.Url(broker.Port), env))
        {
            await first.WaitForStderrAsync("Subscribed to");
            await using var pub = ChildProcess.Start("/bin/sh", ["-c", $"/usr/bin/mosquitto_pub -h 127.0.0.1 -p {broker.Port} -q 1 -t flood/d1 -l < '{input}'"]);
            await Poll.UntilAsync(() => Distinct(sub).Count >= 2_000, "the flood under way\n" + first.AllOutput);
            first.Signal(9);
            Assert.NotEqual(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(10)));
            Assert.True(Distinct(sub).Count < Flood, "the kill came after the flood; nothing was tested");
            await pub.WaitForExitAsync(TimeSpan.FromSeconds(60));
        }

        await using var second = MqttRulesCli.Start(dir, rules, MqttRulesCli.Url(broker.Port), env);
        await Poll.UntilAsync(() => Distinct(sub).Count == Flood,
            $"every command after the restart; missing {Flood - Distinct(sub).Count}\n" + second.AllOutput, TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task Run_KilledRightAfterTheValveFired_CloseIsSentAfterTheRestart()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var env = Env("valve");
        await using (var first = MqttRulesCli.Start(dir, ValveRules, MqttRulesCli.Url(broker.Port), env))
        {
            await FireWhileTheBrokerIsAwayAsync(broker, first);
            // Killed once the fire is durable: the CLOSE journaled and the rule saved as firing (state is
            // written per group of messages; a kill in the instant before that is at-least-once, see README).
            await Poll.UntilAsync(() => StateFile.Count(dir, "publish_journal") == 1 && StateFile.Count(dir, "series", "last_fire IS NOT NULL") == 1,
                "the CLOSE journaled and the fire saved\n" + first.AllOutput);
            first.Signal(9);
            Assert.NotEqual(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        }

        await AfterRestartCloseArrivesAsync(dir, broker, env);
    }

    /// <summary>
    /// A QoS 0 CLOSE has no acknowledgement: written to the socket is not received. The engine's host
    /// dies with it on the wire after the rule state was saved as firing; only the journal can send it again.
    /// </summary>
    [Fact]
    public async Task Run_HostDiedWithTheQos0CloseOnTheWire_CloseIsSentAfterTheRestart()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var wire = WireProxy.Start(broker.Port);
        var env = Env("valve-qos0");
        var rules = ValveRules.Replace("CLOSE, qos: 1", "CLOSE, qos: 0", StringComparison.Ordinal);
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "valves/#", "-q", "1");
        await using (var first = MqttRulesCli.Start(dir, rules, MqttRulesCli.Url(wire.Port), env))
        {
            await first.WaitForStderrAsync("Subscribed to");
            await MosquittoClients.PublishAsync(broker.Port, "meters/m1/flow", "45", qos: 1);
            await first.WaitForStderrAsync("reading from m1");
            wire.DropUpstream();
            await first.WaitForStderrAsync("publish valves/m1/set");
            await Poll.UntilAsync(() => StateFile.Count(dir, "publish_journal") == 1, "the CLOSE journaled until the broker has read it\n" + first.AllOutput);
            first.Signal(9);
            Assert.NotEqual(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.DoesNotContain("valves/m1/set CLOSE", MosquittoClients.Messages(sub));
        await using var second = MqttRulesCli.Start(dir, rules, MqttRulesCli.Url(broker.Port), env);
        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("valves/m1/set CLOSE"), "the CLOSE after the restart\n" + second.AllOutput);
        Assert.True(second.AllOutput.Contains("Resending 1 publishes", StringComparison.Ordinal), "resent from the journal\n" + second.AllOutput);
    }

    [Fact]
    public async Task Run_StoppedWithTheCloseQueued_CloseIsSentAfterTheRestart()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var env = Env("valve-term");
        await using (var first = MqttRulesCli.Start(dir, ValveRules, MqttRulesCli.Url(broker.Port), env))
        {
            await FireWhileTheBrokerIsAwayAsync(broker, first);
            first.Terminate();
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(20)));
            Assert.True(first.AllOutput.Contains("kept and sent at the next start", StringComparison.Ordinal), "kept in the journal\n" + first.AllOutput);
        }

        await AfterRestartCloseArrivesAsync(dir, broker, env);
    }

    /// <summary>The burst starts, the broker goes away, the <c>for:</c> passes: the rule fires and the CLOSE cannot leave.</summary>
    private static async Task FireWhileTheBrokerIsAwayAsync(Mosquitto broker, ChildProcess engine)
    {
        await engine.WaitForStderrAsync("Subscribed to");
        await MosquittoClients.PublishAsync(broker.Port, "meters/m1/flow", "45", qos: 1);
        await engine.WaitForStderrAsync("reading from m1");
        await broker.StopAsync();
        await engine.WaitForStderrAsync("publish valves/m1/set");
        await engine.WaitForStderrAsync("Lost the connection");
    }

    private static async Task AfterRestartCloseArrivesAsync(TempDir dir, Mosquitto broker, Dictionary<string, string?> env)
    {
        await broker.RestartAsync();
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "valves/#", "-q", "1");
        await using var second = MqttRulesCli.Start(dir, ValveRules, MqttRulesCli.Url(broker.Port), env);
        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("valves/m1/set CLOSE"), "the CLOSE after the restart\n" + second.AllOutput);
        Assert.True(second.AllOutput.Contains("Resending 1 publishes", StringComparison.Ordinal), "resent from the journal\n" + second.AllOutput);
        Assert.DoesNotContain("burst fired", second.AllOutput, StringComparison.Ordinal);
    }

    private static HashSet<string> Distinct(ChildProcess sub) =>
        MosquittoClients.Messages(sub).Where(l => l.StartsWith("commands/out ", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
}
