using MqttRules.Actions.Publish;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Engine;

/// <summary>A publish topic that renders to an invalid topic name fails that action with a clear error; the rule's other actions still run (SPEC §3).</summary>
public class PublishTopicTests
{
    private const string Rule = """
        rules:
          - id: valve
            topic: "cmd/{target}"
            each_message: true
            actions:
              - publish: { topic: "valves/{{name}}/set", payload: CLOSE, qos: 1, retain: true }
              - log: "after {{name}}"
        """;

    [Theory]
    [InlineData("+")]
    [InlineData("#")]
    [InlineData("a/+")]
    public void Publish_RenderedWildcard_ActionErrorOtherActionsRun(string name)
    {
        var h = new EngineHarness(Rule);
        h.Send("cmd/x", $"{{\"name\": \"{name}\"}}");
        Assert.Equal([$"message@00:00 after {name}"], h.Timeline());
        Assert.Equal(1, h.Engine.Metrics.ActionCount("publish", "error"));
    }

    [Fact]
    public void Publish_RenderedEmptyTopic_ActionError()
    {
        var h = new EngineHarness("""
            rules:
              - id: valve
                topic: cmd
                each_message: true
                actions:
                  - publish: { topic: "{{name}}", payload: x }
                  - log: done
            """);
        h.Send("cmd", "{\"name\": \"\"}");
        Assert.Equal(["message@00:00 done"], h.Timeline());
        Assert.Equal(1, h.Engine.Metrics.ActionCount("publish", "error"));
    }

    [Fact]
    public void Publish_RenderedNul_ActionError()
    {
        var h = new EngineHarness(Rule);
        h.Send("cmd/x", "{\"name\": \"a\\u0000b\"}");
        Assert.Equal(["message@00:00 after a\0b"], h.Timeline());
    }

    [Fact]
    public void Publish_ValidRenderedTopic_KeepsQosAndRetain()
    {
        var h = new EngineHarness(Rule);
        h.Send("cmd/x", "{\"name\": \"main\"}");
        var publish = h.Actions[0];
        Assert.Equal("valves/main/set", publish.As<PublishAction>().Topic);
        Assert.Equal("CLOSE", publish.PayloadText());
        Assert.Equal(1, publish.As<PublishAction>().Qos);
        Assert.True(publish.As<PublishAction>().Retain);
    }

    [Fact]
    public void Publish_Defaults_QosZeroNoRetain()
    {
        var h = new EngineHarness("""
            rules:
              - id: p
                topic: a
                each_message: true
                actions: [ { publish: { topic: b, payload: "{{value}}" } } ]
            """);
        h.Send("a", "3");
        Assert.Equal(0, h.Actions[0].As<PublishAction>().Qos);
        Assert.False(h.Actions[0].As<PublishAction>().Retain);
    }

    [Fact]
    public void Publish_MappingPayload_SentAsJsonKeepingTypes()
    {
        var h = new EngineHarness("""
            rules:
              - id: p
                topic: "home/{room}/t"
                each_message: true
                actions:
                  - publish: { topic: out, payload: { room: "{{room}}", t: "{{value}}", on: true, n: 3, s: "3" } }
            """);
        h.Send("home/kitchen/t", "21.5");
        Assert.True(h.Actions[0].As<PublishAction>().PayloadIsJson);
        Assert.Equal("{\"room\":\"kitchen\",\"t\":21.5,\"on\":true,\"n\":3,\"s\":\"3\"}", h.Actions[0].PayloadText());
    }
}
