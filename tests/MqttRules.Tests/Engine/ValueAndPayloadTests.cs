using MqttRules.Tests.Support;

namespace MqttRules.Tests.Engine;

/// <summary>What <c>value</c> is, and that missing or wrong-typed data is a counted non-match, never a crash (SPEC §3, §5).</summary>
public class ValueAndPayloadTests
{
    private const string Flow = """
        rules:
          - id: flow
            topic: home/water
            value: flow.lpm
            when: value > 10
            actions: [ { log: "flow {{value}}" } ]
        """;

    [Fact]
    public void Value_DottedPath_ReadsTheNestedNumber()
    {
        var h = new EngineHarness(Flow);
        h.Send("home/water", "{\"flow\": {\"lpm\": 12.5}}");
        Assert.Equal(["fire@00:00 flow 12.5"], h.Timeline());
    }

    [Fact]
    public void Value_PathOnPlainNumber_DoesNotMatchAndIsCounted()
    {
        var h = new EngineHarness(Flow);
        h.Send("home/water", "12.5");
        Assert.Empty(h.Actions);
        Assert.Equal(1, h.Engine.Metrics.EvaluationErrors);
    }

    [Fact]
    public void Value_WithoutPath_WholeNumberPayloadElseValueField()
    {
        var h = new EngineHarness("""
            rules:
              - id: v
                topic: "v/+"
                each_message: true
                when: value > 1
                actions: [ { log: "{{topic}} {{value}}" } ]
            """);
        h.Send("v/a", "5").Send("v/b", "{\"value\": 6}").Send("v/c", "{\"other\": 7}").Send("v/d", "seven");
        Assert.Equal(["message@00:00 v/a 5", "message@00:00 v/b 6"], h.Timeline());
        Assert.Equal(2, h.Engine.Metrics.EvaluationErrors);
    }

    [Theory]
    [InlineData("{\"flow\": {\"lpm\": \"lots\"}}")]
    [InlineData("{\"flow\": {\"lpm\": true}}")]
    [InlineData("{\"flow\": {\"lpm\": null}}")]
    [InlineData("{\"flow\": {\"lpm\": [1, 2]}}")]
    [InlineData("{\"flow\": 3}")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("{\"flow\": {\"lpm\": 1e400}}")]
    public void Value_WrongType_NoActionNoCrash(string payload)
    {
        var h = new EngineHarness(Flow);
        h.Send("home/water", payload);
        Assert.Empty(h.Actions);
    }

    [Fact]
    public void Payload_InvalidUtf8_SkippedAndCounted()
    {
        var h = new EngineHarness(Flow);
        h.Send("home/water", [0x7b, 0xff, 0xfe, 0x7d]);
        Assert.Equal(1, h.Engine.Metrics.PayloadErrors);
        Assert.Contains("mqttrules_payload_errors_total 1\n", h.Engine.Metrics.ToPrometheusText());
        Assert.Empty(h.Actions);
    }

    [Fact]
    public void Payload_Huge_SkippedAndCounted()
    {
        var h = new EngineHarness(Flow);
        h.Send("home/water", new byte[MqttRules.Payloads.Payload.MaxBytes + 10]);
        Assert.Equal(1, h.Engine.Metrics.PayloadErrors);
    }

    [Fact]
    public void Payload_DeeplyNested_NoCrash()
    {
        var h = new EngineHarness(Flow);
        h.Send("home/water", new string('[', 5000) + new string(']', 5000)).Send("home/water", "{\"flow\": {\"lpm\": 11}}");
        Assert.Equal(["fire@00:00 flow 11"], h.Timeline());
    }

    [Fact]
    public void Payload_TopicNoRuleWatches_NotParsed()
    {
        var h = new EngineHarness(Flow);
        h.Send("elsewhere", [0xff]);
        Assert.Equal(0, h.Engine.Metrics.PayloadErrors);
        Assert.Equal(0, h.Engine.Metrics.Messages);
        Assert.Equal(1, h.Engine.Metrics.MessagesIgnored);
    }

    [Fact]
    public void Payload_OneRuleUndecidable_OtherRulesStillRun()
    {
        var h = new EngineHarness("""
            rules:
              - id: needs-number
                topic: x
                when: value > 1
                actions: [ { log: number } ]
              - id: text
                topic: x
                each_message: true
                when: payload == 'hello'
                actions: [ { log: text } ]
            """);
        h.Send("x", "hello");
        Assert.Equal(["message@00:00 text"], h.Timeline());
    }

    [Fact]
    public void Topic_SharedSubscription_MatchesWithoutThePrefix()
    {
        var h = new EngineHarness("""
            rules:
              - id: shared
                topic: "$share/engines/home/{room}/t"
                each_message: true
                actions: [ { log: "{{room}} {{topic_level(0)}}" } ]
            """);
        h.Send("home/kitchen/t", "1");
        Assert.Equal(["message@00:00 kitchen home"], h.Timeline());
        Assert.Contains("$share/engines/home/+/t", h.Engine.Subscriptions);
    }

    [Fact]
    public void Topic_SysTopic_OnlyMatchedByExplicitFilter()
    {
        var h = new EngineHarness("""
            rules:
              - id: all
                topic: "#"
                each_message: true
                actions: [ { log: "all {{topic}}" } ]
              - id: sys
                topic: "$SYS/broker/+"
                each_message: true
                actions: [ { log: "sys {{topic}}" } ]
            """);
        h.Send("$SYS/broker/uptime", "5").Send("a/b", "1");
        Assert.Equal(["message@00:00 sys $SYS/broker/uptime", "message@00:00 all a/b"], h.Timeline());
    }
}
