using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Auth;

/// <summary>mosquitto with a password file (mosquitto_passwd), no anonymous access.</summary>
public sealed class AuthTests
{
    private static async Task<Mosquitto> StartProtectedAsync(TempDir dir)
    {
        var passwords = dir.Write("passwd", "");
        using (var p = System.Diagnostics.Process.Start("/usr/bin/mosquitto_passwd", ["-b", passwords, "meter", "s3cret!"]))
        {
            await p!.WaitForExitAsync();
            Assert.Equal(0, p.ExitCode);
        }

        File.SetUnixFileMode(passwords, (UnixFileMode)0b110_100_100);
        return await Mosquitto.StartAsync(dir, $"password_file {passwords}", anonymous: false);
    }

    [Fact]
    public async Task Run_RightPasswordFromSecretFile_Automates()
    {
        using var dir = new TempDir();
        await using var broker = await StartProtectedAsync(dir);
        var env = new Dictionary<string, string?>
        {
            ["MQTTRULES_USERNAME"] = "meter",
            ["MQTTRULES_PASSWORD_FILE"] = dir.Write("password.txt", "s3cret!\n"),
        };
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, MqttRulesCli.Url(broker.Port), env);
        await engine.WaitForStderrAsync("Subscribed to");
        await using var sub = await MosquittoClients.SubscribeAsync(broker.Port, "pumps/#", "-u", "meter", "-P", "s3cret!");

        await MosquittoClients.PublishAsync(broker.Port, "tank/a/level", "35", 0, false, "-u", "meter", "-P", "s3cret!");

        await Poll.UntilAsync(() => MosquittoClients.Messages(sub).Contains("pumps/a/set ON 35"), "switch command\n" + engine.AllOutput);
        Assert.DoesNotContain("s3cret", engine.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WrongPassword_ExitsOneMentioningAuthentication()
    {
        using var dir = new TempDir();
        await using var broker = await StartProtectedAsync(dir);
        await using var engine = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, $"mqtt://meter:wrong-pass@127.0.0.1:{broker.Port}");

        Assert.Equal(1, await engine.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.Contains(engine.Stderr, l => l.Contains("authentication", StringComparison.Ordinal));
        Assert.DoesNotContain("wrong-pass", engine.AllOutput, StringComparison.Ordinal);
    }
}
