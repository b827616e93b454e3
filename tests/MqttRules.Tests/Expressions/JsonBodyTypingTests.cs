using MqttRules.Actions.Webhook;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Expressions;

/// <summary>In publish/webhook mapping bodies a value that is one template hole keeps the type of its result.</summary>
public class JsonBodyTypingTests
{
    private static string Publish(string mapping, string payload)
    {
        var h = new EngineHarness($$"""
            rules:
              - id: p
                topic: "home/{room}/t"
                each_message: true
                actions:
                  - publish: { topic: out, payload: {{mapping}} }
            """);
        h.Send("home/kitchen/t", payload);
        return h.Actions.Single().PayloadText()!;
    }

    [Theory]
    [InlineData("{ lpm: \"{{value}}\" }", "45.2", "{\"lpm\":45.2}")]
    [InlineData("{ lpm: \"{{ value }}\" }", "20", "{\"lpm\":20}")]
    [InlineData("{ high: \"{{value > 40}}\" }", "45.2", "{\"high\":true}")]
    [InlineData("{ room: \"{{room}}\" }", "1", "{\"room\":\"kitchen\"}")]
    [InlineData("{ text: \"{{value}} L/min\" }", "45.2", "{\"text\":\"45.2 L/min\"}")]
    [InlineData("{ fixed: \"{{format(value, '0.00')}}\" }", "45.2", "{\"fixed\":\"45.20\"}")]
    [InlineData("{ list: [\"{{value}}\", \"{{room}}\", 3] }", "7", "{\"list\":[7,\"kitchen\",3]}")]
    [InlineData("{ battery: \"{{battery}}\" }", "{\"value\": 1}", "{\"battery\":null}")]
    [InlineData("{ on: \"{{state}}\" }", "{\"state\": true}", "{\"on\":true}")]
    [InlineData("{ s: \"3\", n: 3 }", "1", "{\"s\":\"3\",\"n\":3}")]
    public void Publish_MappingValue_SingleHoleKeepsItsType(string mapping, string payload, string expected)
    {
        Assert.Equal(expected, Publish(mapping, payload));
    }

    [Fact]
    public void Webhook_MappingBody_SingleHoleNumberStaysANumber()
    {
        var h = new EngineHarness("""
            rules:
              - id: w
                topic: home/main/water
                value: flow.lpm
                when: value > 40
                actions:
                  - webhook: { url: "http://127.0.0.1:9/hook", body: { lpm: "{{value}}", meter: main } }
            """);
        h.Send("home/main/water", "{\"flow\": {\"lpm\": 45.2}}");
        Assert.Equal("{\"lpm\":45.2,\"meter\":\"main\"}", h.Actions.Single().As<WebhookAction>().Body);
    }
}
