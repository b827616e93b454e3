using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MqttRules.IntegrationTests.Infrastructure;
using MqttRules.IntegrationTests.Peers;

namespace MqttRules.IntegrationTests.Durability;

/// <summary>
/// Issue 10.2: on a full disk no alert is dropped. The state file lives on a 16 MB tmpfs that a
/// filler file fills up; the engine stops acknowledging (says so once), and once the filler is
/// gone it saves what it held, says so once, and every alert is delivered.
/// Needs root for the tmpfs mount (the sandbox and the CI container run as root); without it the
/// same behaviour is covered by the unit tests HeldWritesTests and StoreFailureTests.
/// </summary>
public sealed class FullDiskTests
{
    private const int Alerts = 200;

    private const string Rules = """
        rules:
          - id: alarm
            topic: alarm/{room}
            when: value >= 0
            each_message: true
            actions:
              - webhook: { url: "${HOOK_URL}", body: { room: "{{room}}", value: "{{value}}" } }
        """;

    [Fact]
    public async Task Run_DiskFullDuringAFlood_NoAlertLost_OneWarningOneRecovery()
    {
        if (Environment.UserName != "root")
        {
            return;
        }

        using var dir = new TempDir();
        var disk = Directory.CreateDirectory(dir.FilePath("disk")).FullName;
        Assert.Equal(0, await RunAsync("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", disk));
        try
        {
            await using var broker = await Mosquitto.StartAsync(dir);
            await using var hook = await FakeHttpPeer.StartAsync((_, ctx) => { ctx.Response.StatusCode = 200; return Task.CompletedTask; });
            var env = new Dictionary<string, string?>
            {
                ["HOOK_URL"] = hook.BaseUrl + "hook",
                ["MQTTRULES_STATE"] = Path.Combine(disk, "state.db"),
                ["MQTTRULES_CLIENT_ID"] = "it-full-" + Guid.NewGuid().ToString("N")[..6],
            };
            await using var engine = MqttRulesCli.Start(dir, Rules, MqttRulesCli.Url(broker.Port), env);
            await engine.WaitForStderrAsync("Subscribed to");
            var filler = Path.Combine(disk, "filler");
            Fill(filler);

            var input = dir.Write("alarms.txt", string.Join('\n', Enumerable.Range(0, Alerts).Select(i => i.ToString(CultureInfo.InvariantCulture))) + "\n");
            await using (var pub = ChildProcess.Start("/bin/sh", ["-c", $"/usr/bin/mosquitto_pub -h 127.0.0.1 -p {broker.Port} -q 1 -t alarm/kitchen -l < '{input}'"]))
            {
                await engine.WaitForStderrAsync("cannot take writes", timeout: TimeSpan.FromSeconds(30));
                File.Delete(filler);
                await engine.WaitForStderrAsync("takes writes again", timeout: TimeSpan.FromSeconds(60));
                await pub.WaitForExitAsync(TimeSpan.FromSeconds(60));
            }

            try
            {
                await Poll.UntilAsync(() => Delivered(hook).Count == Alerts, "every alert delivered", TimeSpan.FromSeconds(60));
            }
            catch (Xunit.Sdk.FailException)
            {
                // Said after the wait, not before it: the counts and the output as they are at the timeout.
                Assert.Fail($"missing {Alerts - Delivered(hook).Count} alerts (requests: {hook.Requests.Count}, first: {hook.Requests.FirstOrDefault()?.Body})\n{engine.AllOutput}");
            }
            Assert.Equal(1, engine.CountStderr("cannot take writes"));
            Assert.Equal(1, engine.CountStderr("takes writes again"));
            Assert.Equal(0, engine.CountStderr("store_failed"));
            Assert.Equal(0, engine.CountStderr("ERROR"));
            engine.Terminate();
            Assert.Equal(0, await engine.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            await RunAsync("umount", "-l", disk);
        }
    }

    /// <summary>
    /// The distinct alert numbers the hook received. <c>value: "{{value}}"</c> is one whole hole, so the
    /// body carries the number as a JSON number (<c>{"value":7}</c>), not as text.
    /// </summary>
    private static HashSet<string> Delivered(FakeHttpPeer hook) =>
        hook.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("value").GetRawText()).ToHashSet(StringComparer.Ordinal);

    /// <summary>Writes until the file system has no byte left.</summary>
    private static void Fill(string path)
    {
        using var f = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        var chunk = new byte[4096];
        try
        {
            while (true)
            {
                f.Write(chunk);
            }
        }
        catch (IOException)
        {
        }
    }

    private static async Task<int> RunAsync(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        await p.WaitForExitAsync();
        return p.ExitCode;
    }
}
