using System.Text.Json.Nodes;
using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Live;

/// <summary>
/// Rules whose filters overlap (and history reads of topics other rules subscribe too) give live,
/// on a real mosquitto, exactly the action lines <c>replay</c> gives for the same traffic: no message
/// is evaluated twice although the broker sends one copy per matching subscription.
/// </summary>
public sealed class OverlapEquivalenceTests
{
    /// <summary>
    /// home/+/water ⊃ home/main/water (a rule and a history read), home/# over both, and two filters
    /// that overlap without either covering the other (plant/+/temp, plant/p1/#).
    /// </summary>
    private const string Rules = """
        rules:
          - id: meter
            topic: home/{meter}/water
            each_message: true
            actions: [ { log: "meter {{meter}} {{value}}" } ]
          - id: main
            topic: home/main/water
            each_message: true
            actions: [ { log: "main {{value}} sum {{sum('home/main/water', 'value', '1h')}} count {{count('home/+/water', 'value', '1h')}}" } ]
          - id: house
            topic: home/#
            each_message: true
            actions: [ { log: "house {{topic}}" } ]
          - id: plant-temp
            topic: plant/+/temp
            each_message: true
            actions: [ { log: "temp {{topic}} {{value}} n {{count('plant/p1/#', 'value', '1h')}}" } ]
          - id: plant-one
            topic: plant/p1/#
            each_message: true
            actions: [ { log: "p1 {{topic}} last {{last('plant/+/temp', 'value')}}" } ]
          - id: marker
            topic: zz/marker
            each_message: true
            actions: [ { log: "end" } ]
        """;

    private static readonly (string Topic, string Payload)[] Traffic =
    [
        ("home/main/water", """{"value": 5}"""),
        ("home/garden/water", """{"value": 2}"""),
        ("home/main/water", """{"value": 7}"""),
        ("home/main/gas", """{"value": 1}"""),
        ("plant/p1/temp", """{"value": 20}"""),
        ("plant/p2/temp", """{"value": 21}"""),
        ("plant/p1/humidity", """{"value": 60}"""),
        ("plant/p3/humidity", """{"value": 61}"""),
        ("plant/p1/temp", """{"value": 22}"""),
    ];

    [Theory]
    [InlineData("5")]
    [InlineData("3.1.1")]
    public async Task OverlappingFiltersAndHistoryReads_LiveGivesTheSameActionsAsReplay(string protocol)
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var env = new Dictionary<string, string?> { ["MQTTRULES_PROTOCOL"] = protocol };
        await using var engine = MqttRulesCli.Start(dir, Rules, MqttRulesCli.Url(broker.Port), env, "--dry-run");
        await engine.WaitForStderrAsync("Connected to");
        var recorded = Path.Combine(dir.Path, "traffic.jsonl");
        await using var recorder = MqttRulesCli.StartCommand(dir, "record", null, MqttRulesCli.Url(broker.Port), env,
            "--out", recorded, "--topic", "home/#", "--topic", "plant/+/temp", "--topic", "plant/p1/#", "--topic", "zz/#");
        await recorder.WaitForStderrAsync("Connected to");

        foreach (var (topic, payload) in Traffic)
        {
            await MosquittoClients.PublishAsync(broker.Port, topic, payload, qos: 1);
        }

        await MosquittoClients.PublishAsync(broker.Port, "zz/marker", "{}", qos: 1);
        await engine.WaitForStderrAsync("\"rule\":\"marker\"", timeout: TimeSpan.FromSeconds(20));
        await Poll.UntilAsync(() => File.Exists(recorded) && File.ReadAllText(recorded).Contains("zz/marker", StringComparison.Ordinal), "marker recorded");
        recorder.Terminate();
        Assert.Equal(0, await recorder.WaitForExitAsync(TimeSpan.FromSeconds(10)));

        var live = engine.Stderr.Where(l => l.Contains("[dry-run] ", StringComparison.Ordinal))
            .Select(l => WithoutTime(l[(l.IndexOf("[dry-run] ", StringComparison.Ordinal) + "[dry-run] ".Length)..])).ToList();
        var replay = await ReplayAsync(dir, recorded);

        // every message once, but plant/p3/humidity: no filter asks for it (the recorder subscribes plant/+/# for plant/+/temp and plant/p1/#)
        Assert.Equal(Traffic.Length, File.ReadAllLines(recorded).Length);
        Assert.DoesNotContain("plant/p3/humidity", File.ReadAllText(recorded), StringComparison.Ordinal);
        Assert.Equal(replay, live);
        Assert.Single(live, l => l.Contains("\"main 7 sum 5 count 2\"", StringComparison.Ordinal));
        Assert.Single(live, l => l.Contains("\"p1 plant/p1/humidity last 21\"", StringComparison.Ordinal));
        Assert.Equal(3, live.Count(l => l.Contains("\"house home/main/water\"", StringComparison.Ordinal) || l.Contains("\"house home/main/gas\"", StringComparison.Ordinal)));
        Assert.Contains(engine.Stderr, l => l.Contains("'plant/+/temp' and 'plant/p1/#' overlap", StringComparison.Ordinal));
    }

    /// <summary>
    /// A shared subscription cannot be merged with the plain filter it overlaps: mosquitto sends a
    /// copy for each, and the subscription identifiers tell the engine which rules each copy is for.
    /// </summary>
    [Fact]
    public async Task Mqtt5_SharedSubscriptionOverlappingAPlainFilter_EachRuleActsOnce()
    {
        const string rules = """
            rules:
              - id: shared
                topic: $share/workers/plant/+/temp
                each_message: true
                actions: [ { log: "shared {{topic}} {{value}}" } ]
              - id: plain
                topic: plant/p1/#
                each_message: true
                actions: [ { log: "plain {{topic}} {{value}}" } ]
            """;
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var engine = MqttRulesCli.Start(dir, rules, MqttRulesCli.Url(broker.Port), null, "--dry-run");
        await engine.WaitForStderrAsync("Connected to");
        var input = dir.Write("input.jsonl", """
            {"t": 0, "topic": "plant/p1/temp", "payload": {"value": 20}}
            {"t": 1, "topic": "plant/p2/temp", "payload": {"value": 21}}
            {"t": 2, "topic": "plant/p1/humidity", "payload": {"value": 60}}
            """);

        await MosquittoClients.PublishAsync(broker.Port, "plant/p1/temp", """{"value": 20}""", qos: 1);
        await MosquittoClients.PublishAsync(broker.Port, "plant/p2/temp", """{"value": 21}""", qos: 1);
        await MosquittoClients.PublishAsync(broker.Port, "plant/p1/humidity", """{"value": 60}""", qos: 1);
        await engine.WaitForStderrAsync("[dry-run] ", count: 4);
        await MosquittoClients.PublishAsync(broker.Port, "plant/p1/end", """{"value": 0}""", qos: 1);
        await engine.WaitForStderrAsync("plain plant/p1/end");

        var live = engine.Stderr.Where(l => l.Contains("[dry-run] ", StringComparison.Ordinal) && !l.Contains("plant/p1/end", StringComparison.Ordinal))
            .Select(l => WithoutTime(l[(l.IndexOf("[dry-run] ", StringComparison.Ordinal) + "[dry-run] ".Length)..])).Order(StringComparer.Ordinal);
        var replay = (await ReplayAsync(dir, input)).Order(StringComparer.Ordinal);
        Assert.Equal(replay, live);
        Assert.Equal(4, live.Count());
    }

    private static async Task<List<string>> ReplayAsync(TempDir dir, string recorded)
    {
        await using var replay = MqttRulesCli.StartProcess(["replay", "--rules", Path.Combine(dir.Path, "rules.yaml"), recorded], null, dir.Path);
        Assert.Equal(0, await replay.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        return replay.Stdout.Where(l => l.StartsWith('{')).Select(WithoutTime).ToList();
    }

    /// <summary>An action line without its time (live and replay read the clock at different moments) and id.</summary>
    private static string WithoutTime(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("t");
        node.Remove("id");
        return node.ToJsonString();
    }
}
