using System.Text.Json;
using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Record;

public sealed class RecordTests
{
    [Fact]
    public async Task Record_WritesReplayFormatAndStopsCleanly()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var output = Path.Combine(dir.Path, "traffic.jsonl");
        await using var recorder = MqttRulesCli.StartCommand(dir, "record", null, MqttRulesCli.Url(broker.Port), null, "--out", output, "--topic", "home/#");
        await recorder.WaitForStderrAsync("Subscribed to");

        await MosquittoClients.PublishAsync(broker.Port, "home/main/water", "{ \"flow\": {\"lpm\": 12.5} }");
        await MosquittoClients.PublishAsync(broker.Port, "home/main/text", "21.5");
        await MosquittoClients.PublishAsync(broker.Port, "other/ignored", "x");
        await using (var bytes = ChildProcess.Start("/bin/sh", ["-c", $"printf '\\377\\376' | /usr/bin/mosquitto_pub -h 127.0.0.1 -p {broker.Port} -t home/bin -s"]))
        {
            Assert.Equal(0, await bytes.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        }

        await Poll.UntilAsync(() => File.Exists(output) && ReadShared(output).Length >= 3, "three recorded lines");
        recorder.Terminate();
        Assert.Equal(0, await recorder.WaitForExitAsync(TimeSpan.FromSeconds(10)));

        var lines = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal("home/main/water", lines[0].GetProperty("topic").GetString());
        Assert.Equal(12.5, lines[0].GetProperty("payload").GetProperty("flow").GetProperty("lpm").GetDouble());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", lines[0].GetProperty("t").GetString());
        Assert.Equal("21.5", lines[1].GetProperty("payload").GetString());
        Assert.Equal(Convert.ToBase64String([0xFF, 0xFE]), lines[2].GetProperty("payload_b64").GetString());
    }

    private static string[] ReadShared(string path)
    {
        using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var r = new StreamReader(s);
        return r.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
