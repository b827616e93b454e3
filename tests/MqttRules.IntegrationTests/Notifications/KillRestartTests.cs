using MqttRules.IntegrationTests.Infrastructure;
using MqttRules.IntegrationTests.Peers;

namespace MqttRules.IntegrationTests.Notifications;

/// <summary>
/// The whole program, killed with SIGKILL mid-delivery and started again over the same state
/// file: the alert is delivered once, not lost, not duplicated, and the firing rule does not fire again.
/// </summary>
public sealed class KillRestartTests
{
    private const string Rules = """
        rules:
          - id: alarm
            topic: alarm/{room}
            when: value > 30
            actions:
              - webhook: { url: "${HOOK_URL}", body: { room: "{{room}}", value: "{{value}}" } }
        """;

    [Fact]
    public async Task Run_KilledWhileEndpointFails_AfterRestartDeliveredOnceAndNotFiredAgain()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var up = false;
        await using var hook = await FakeHttpPeer.StartAsync((_, ctx) =>
        {
            ctx.Response.StatusCode = Volatile.Read(ref up) ? 200 : 503;
            return Task.CompletedTask;
        });
        var env = new Dictionary<string, string?>
        {
            ["HOOK_URL"] = hook.BaseUrl + "hook",
            ["MQTTRULES_CLIENT_ID"] = "it-kill-" + Guid.NewGuid().ToString("N")[..8],
        };

        await using (var first = MqttRulesCli.Start(dir, Rules, MqttRulesCli.Url(broker.Port), env))
        {
            await first.WaitForStderrAsync("Subscribed to");
            await MosquittoClients.PublishAsync(broker.Port, "alarm/kitchen", "42", qos: 1);
            await Poll.UntilAsync(() => !hook.Requests.IsEmpty, "a first (failing) delivery attempt\n" + first.AllOutput);
            first.Signal(9);
            Assert.NotEqual(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        }

        Volatile.Write(ref up, true);
        await using (var second = MqttRulesCli.Start(dir, Rules, MqttRulesCli.Url(broker.Port), env))
        {
            await second.WaitForStderrAsync("Subscribed to");
            await MosquittoClients.PublishAsync(broker.Port, "alarm/kitchen", "43", qos: 1);
            await MosquittoClients.PublishAsync(broker.Port, "alarm/hall", "50", qos: 1);
            await Poll.UntilAsync(() => hook.Accepted >= 2, "kitchen (from before the kill) and hall delivered\n" + second.AllOutput);
            second.Terminate();
            Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        }

        var delivered = hook.Requests.Where(r => r.Number > 0).ToList();
        var kitchen = delivered.Where(r => r.Body.Contains("\"kitchen\"", StringComparison.Ordinal)).ToList();
        Assert.All(kitchen, r => Assert.Contains("\"value\":42", r.Body, StringComparison.Ordinal));
        Assert.Single(kitchen.Select(r => r.Headers["Idempotency-Key"]).Distinct());
        Assert.Equal(2, hook.Accepted);
        Assert.Single(delivered, r => r.Body.Contains("\"hall\"", StringComparison.Ordinal));
    }
}
