using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Config;

/// <summary>Secrets in webhook URLs stay out of what the engine prints, live and in --dry-run.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecretRedactionTests
{
    private const string Rules = """
        rules:
          - id: tank-high
            topic: tank/{tank}/level
            when: value > 30
            each_message: true
            actions:
              - webhook: { url: "http://alerts:hunter2@127.0.0.1:9/hook?tank={{tank}}&token=s3cret&session=abc123", body: "{{value}}" }
        """;

    [Fact]
    public async Task DryRun_WebhookWithCredentials_PrintedRedacted()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var env = new Dictionary<string, string?> { ["MQTTRULES_REDACT_PARAMS"] = "session" };
        await using var engine = MqttRulesCli.Start(dir, Rules, MqttRulesCli.Url(broker.Port), env, "--dry-run");
        await engine.WaitForStderrAsync("Subscribed to");

        await using (var pub = ChildProcess.Start("/usr/bin/mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{broker.Port}", "-t", "tank/a/level", "-m", "50"]))
        {
            Assert.Equal(0, await pub.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        }

        await engine.WaitForStderrAsync("[dry-run]");

        Assert.Contains("alerts:***@127.0.0.1:9/hook?tank=a&token=***&session=***", engine.AllOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", engine.AllOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", engine.AllOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123", engine.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_StateFile_OwnerOnly()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var engine = MqttRulesCli.Start(dir, Rules, MqttRulesCli.Url(broker.Port));
        await engine.WaitForStderrAsync("Subscribed to");

        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir.Path, "state.db" + suffix)));
        }
    }
}
