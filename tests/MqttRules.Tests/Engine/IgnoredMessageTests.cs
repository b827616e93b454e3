#pragma warning disable CA1707
using Microsoft.Extensions.Logging.Abstractions;
using MqttRules.Actions;
using MqttRules.Diagnostics;
using MqttRules.Replay;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Engine;

/// <summary>
/// On MQTT 3.1.1/5 the engine may subscribe a wider covering filter (<c>a/+/c</c> and <c>a/b/#</c>
/// become <c>a/+/#</c>): what only that filter brings reaches no rule and must not look like feed traffic.
/// </summary>
public class IgnoredMessageTests
{
    private const string Rules = """
        rules:
          - id: c
            topic: a/+/c
            each_message: true
            actions: [ { log: "c {{payload}}" } ]
          - id: b
            topic: a/b/#
            each_message: true
            actions: [ { log: "b {{payload}}" } ]
        """;

    // Topic, payload: one for both rules, one only the covering filter a/+/# brings,
    // a bad payload nobody wants, a bad payload a rule wants.
    private static readonly (string Topic, byte[] Payload)[] Input =
    [
        ("a/b/c", "1"u8.ToArray()),
        ("a/x/d", "2"u8.ToArray()),
        ("a/x/d", [0x7B, 0xFF]),
        ("a/x/c", [0x7B, 0xFF]),
    ];

    [Fact]
    public void Process_MessageNoRuleWants_CountedAsIgnoredNotAsEvaluated()
    {
        var h = new EngineHarness(Rules);

        Assert.False(h.Engine.Process("a/x/d", "2"u8.ToArray()));
        Assert.True(h.Engine.Process("a/b/c", "1"u8.ToArray()));

        Assert.Equal(1, h.Engine.Metrics.Messages);
        Assert.Equal(1, h.Engine.Metrics.MessagesIgnored);
        var text = h.Engine.Metrics.ToPrometheusText();
        Assert.Contains("\nmqttrules_messages_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nmqttrules_messages_ignored_total 1\n", text, StringComparison.Ordinal);
        Assert.Equal(["c 1", "b 1"], h.Actions.Select(a => a.LogMessage()));
    }

    [Fact]
    public void Process_BadPayloadNoRuleWants_IgnoredNotAPayloadError()
    {
        var h = new EngineHarness(Rules);

        h.Send("a/x/d", [0x7B, 0xFF]).Send("a/x/c", [0x7B, 0xFF]);

        Assert.Equal(1, h.Engine.Metrics.PayloadErrors);
        Assert.Equal(1, h.Engine.Metrics.Messages);
        Assert.Equal(1, h.Engine.Metrics.MessagesIgnored);
    }

    [Fact]
    public void Replay_SameInput_CountsAgreeWithLive()
    {
        var live = new EngineHarness(Rules);
        foreach (var (topic, payload) in Input)
        {
            live.Send(topic, payload);
        }

        var metrics = new EngineMetrics();
        using var temp = new TempDir();
        var path = Path.Combine(temp.Path, "in.jsonl");
        File.WriteAllLines(path, Input.Select((m, i) =>
            $$"""{"t": {{i}}, "topic": "{{m.Topic}}", "payload_b64": "{{Convert.ToBase64String(m.Payload)}}"}"""));
        new ReplayRunner(Yaml.Rules(Rules), new ListActionSink(), NullLogger.Instance, TimeZoneInfo.Utc)
        {
            Configure = (_, o) => o with { Metrics = metrics },
        }.Run(path, ReplayReader.DefaultStart);

        Assert.Equal((2, 2, 1), (live.Engine.Metrics.Messages, live.Engine.Metrics.MessagesIgnored, live.Engine.Metrics.PayloadErrors));
        Assert.Equal((live.Engine.Metrics.Messages, live.Engine.Metrics.MessagesIgnored, live.Engine.Metrics.PayloadErrors),
            (metrics.Messages, metrics.MessagesIgnored, metrics.PayloadErrors));
    }
}
