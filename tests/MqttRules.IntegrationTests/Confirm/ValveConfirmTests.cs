using System.Globalization;
using MqttRules.IntegrationTests.Infrastructure;
using MqttRules.IntegrationTests.Live;
using MqttRules.IntegrationTests.Peers;

namespace MqttRules.IntegrationTests.Confirm;

/// <summary>
/// Closed-loop commands against a real mosquitto and the CLI: a valve that obeys (a peer that answers
/// CLOSED), one that ignores the command and one that is offline. Every command the broker carried and
/// every alert the webhook peer received is counted: re-sends as configured, one alert per silent valve.
/// </summary>
public sealed class ValveConfirmTests
{
    private static string Rules(string within, int retries) => $$$"""
        rules:
          - id: leak-close-valve
            topic: "home/{meter}/leak"
            when: leak
            actions:
              - publish:
                  topic: "valves/{{meter}}/set"
                  payload: CLOSE
                  qos: 1
                  confirm: { topic: "valves/{{meter}}/state", when: "payload == 'CLOSED'", within: {{{within}}}, retries: {{{retries}}} }
            on_unconfirmed:
              - webhook: { url: "${HOOK_URL}", body: { text: "Valve {{meter}} did not close after {{attempts}} tries" } }
        """;

    [Fact]
    public async Task Run_ObeyingIgnoringAndOfflineValves_ResentAsConfiguredOneAlertPerSilentValve()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var hook = await FakeHttpPeer.StartAsync(Ok);
        var http = "127.0.0.1:" + Ports.Free();
        await using var engine = MqttRulesCli.Start(dir, Rules("2s", 2), MqttRulesCli.Url(broker.Port), Env(hook), "--http", http);
        await engine.WaitForStderrAsync("Subscribed to");
        await using var commands = await MosquittoClients.SubscribeAsync(broker.Port, "valves/+/set", "-q", "1");
        await using var obeying = await ObeyingValveAsync(broker.Port, "a");
        await using var ignoring = await MosquittoClients.SubscribeAsync(broker.Port, "valves/b/set", "-q", "1");
        // valve c is offline: nothing listens on valves/c/set

        foreach (var meter in new[] { "a", "b", "c" })
        {
            await MosquittoClients.PublishAsync(broker.Port, $"home/{meter}/leak", """{"leak": true}""", qos: 1);
        }

        var metrics = "";
        await Poll.UntilAsync(
            async () => (metrics = await ReconnectTests.Metrics(http)).Contains("outcome=\"unconfirmed\"} 2\n", StringComparison.Ordinal),
            "two valves unconfirmed\n" + engine.AllOutput, TimeSpan.FromSeconds(30));
        Assert.Contains("mqttrules_confirmations_total{rule=\"leak-close-valve\",outcome=\"confirmed\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("mqttrules_confirmations_total{rule=\"leak-close-valve\",outcome=\"retried\"} 4\n", metrics, StringComparison.Ordinal);

        await Poll.UntilAsync(() => hook.Requests.Count >= 2 && Sent(commands, "b") >= 3 && Sent(commands, "c") >= 3, "alerts and commands\n" + engine.AllOutput);
        await MosquittoClients.PublishAsync(broker.Port, "valves/marker/set", "x", qos: 1);
        await Poll.UntilAsync(() => Sent(commands, "marker") == 1, "marker");
        Assert.Equal(1, Sent(commands, "a"));
        Assert.Equal(3, Sent(commands, "b"));
        Assert.Equal(3, Sent(commands, "c"));
        Assert.Equal(3, MosquittoClients.Messages(ignoring).Count);
        Assert.Equal(
            ["{\"text\":\"Valve b did not close after 3 tries\"}", "{\"text\":\"Valve c did not close after 3 tries\"}"],
            hook.Requests.Select(r => r.Body).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Run_ValveAnswersWhileTheEngineIsDown_RetainedStateConfirmsAfterTheRestart()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var hook = await FakeHttpPeer.StartAsync(Ok);
        await using var commands = await MosquittoClients.SubscribeAsync(broker.Port, "valves/+/set", "-q", "1");
        await CloseThenStopAsync(dir, broker.Port, hook, commands, "a", "10s");

        await MosquittoClients.PublishAsync(broker.Port, "valves/a/state", "CLOSED", qos: 1, retain: true);
        await using var second = MqttRulesCli.Start(dir, Rules("10s", 1), MqttRulesCli.Url(broker.Port), Env(hook));

        await second.WaitForStderrAsync("confirmed on valves/a/state after 1 send(s)", timeout: TimeSpan.FromSeconds(30));
        await MosquittoClients.PublishAsync(broker.Port, "valves/marker/set", "x", qos: 1);
        await Poll.UntilAsync(() => Sent(commands, "marker") == 1, "marker");
        Assert.Equal(1, Sent(commands, "a"));
        Assert.Empty(hook.Requests);
    }

    [Fact]
    public async Task Run_RestartDuringTheWaitWithoutAnswer_ResentOnceThenOneAlert()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var hook = await FakeHttpPeer.StartAsync(Ok);
        await using var commands = await MosquittoClients.SubscribeAsync(broker.Port, "valves/+/set", "-q", "1");
        await CloseThenStopAsync(dir, broker.Port, hook, commands, "c", "3s");

        await using var second = MqttRulesCli.Start(dir, Rules("3s", 1), MqttRulesCli.Url(broker.Port), Env(hook));

        await Poll.UntilAsync(() => hook.Requests.Count == 1, "the alert after the restart\n" + second.AllOutput, TimeSpan.FromSeconds(30));
        await MosquittoClients.PublishAsync(broker.Port, "valves/marker/set", "x", qos: 1);
        await Poll.UntilAsync(() => Sent(commands, "marker") == 1, "marker");
        Assert.Equal(2, Sent(commands, "c"));
        Assert.Equal("{\"text\":\"Valve c did not close after 2 tries\"}", Assert.Single(hook.Requests).Body);
    }

    /// <summary>Starts the engine, makes it close the valve of <paramref name="meter"/> once, and stops it (SIGTERM) while it waits.</summary>
    private static async Task CloseThenStopAsync(TempDir dir, int port, FakeHttpPeer hook, ChildProcess commands, string meter, string within)
    {
        await using var first = MqttRulesCli.Start(dir, Rules(within, 1), MqttRulesCli.Url(port), Env(hook));
        await first.WaitForStderrAsync("Subscribed to");
        await MosquittoClients.PublishAsync(port, $"home/{meter}/leak", """{"leak": true}""", qos: 1);
        await Poll.UntilAsync(() => Sent(commands, meter) == 1, "the first CLOSE\n" + first.AllOutput);
        first.Terminate();
        Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    private static Task Ok(Received r, Microsoft.AspNetCore.Http.HttpContext ctx)
    {
        ctx.Response.StatusCode = 200;
        return Task.CompletedTask;
    }

    private static Dictionary<string, string?> Env(FakeHttpPeer hook) => new() { ["HOOK_URL"] = hook.BaseUrl + "hook" };

    private static int Sent(ChildProcess commands, string meter) =>
        MosquittoClients.Messages(commands).Count(l => l.StartsWith($"valves/{meter}/set ", StringComparison.Ordinal));

    /// <summary>A valve that does as it is told: every command on its set topic is answered with CLOSED on its state topic.</summary>
    private static async Task<ChildProcess> ObeyingValveAsync(int port, string meter)
    {
        var p = port.ToString(CultureInfo.InvariantCulture);
        var valve = ChildProcess.Start("/bin/sh", ["-c",
            $"/usr/bin/stdbuf -oL /usr/bin/mosquitto_sub -d -h 127.0.0.1 -p {p} -q 1 -t valves/{meter}/set | while read -r line; do " +
            $"case \"$line\" in CLOSE) /usr/bin/mosquitto_pub -h 127.0.0.1 -p {p} -q 1 -t valves/{meter}/state -m CLOSED ;; *) echo \"$line\" ;; esac; done"]);
        await Poll.UntilAsync(() => valve.CountStdout("received SUBACK") > 0 || (valve.HasExited ? throw new InvalidOperationException(valve.AllOutput) : false), "valve SUBACK");
        return valve;
    }
}
