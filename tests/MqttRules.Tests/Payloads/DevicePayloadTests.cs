using System.Text;
using MqttRules.Payloads;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Payloads;

/// <summary>Payload forms real devices send (issue 9): bare JSON booleans and strings as the rule's value.</summary>
public class DevicePayloadTests
{
    [Theory]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData(" true\n", "true")]
    [InlineData("\"Kitchen Light\"", "Kitchen Light")]
    [InlineData("\"\"", "")]
    [InlineData("21.5", "21.5")]
    [InlineData("{\"value\": 3}", "3")]
    public void DefaultValue_BarePayload_IsTheValue(string payload, string expected)
    {
        using var p = Payload.TryParse(Encoding.UTF8.GetBytes(payload), out _)!;
        Assert.Equal(expected, p.DefaultValue().ToString());
    }

    [Fact]
    public void DefaultValue_BareTrue_IsABoolean()
    {
        using var p = Payload.TryParse("true"u8.ToArray(), out _)!;
        Assert.Equal(MqttRules.Values.ValueKind.Bool, p.DefaultValue().Kind);
        Assert.True(p.DefaultValue().IsTrue);
    }

    [Theory]
    [InlineData("ON")]
    [InlineData("[1, 2]")]
    [InlineData("{\"state\": \"ON\"}")]
    [InlineData("null")]
    public void DefaultValue_NoValue_Missing(string payload)
    {
        using var p = Payload.TryParse(Encoding.UTF8.GetBytes(payload), out _)!;
        Assert.True(p.DefaultValue().IsMissing);
    }

    [Fact]
    public void WhenValue_BareJsonBoolean_FiresOnTrueAndResolvesOnFalse()
    {
        // ESPHome binary_sensor state topics and Home Assistant statestream publish true/false or "on"/"off".
        var h = new EngineHarness("""
            rules:
              - id: motion
                topic: hall/motion
                when: value
                actions: [ { log: "motion" } ]
                on_resolve: [ { log: "still" } ]
            """);
        h.Send("hall/motion", "false").Send("hall/motion", "true").Send("hall/motion", "true").Send("hall/motion", "false");
        Assert.Equal(["fire@00:00 motion", "resolve@00:00 still"], h.Timeline());
        Assert.Equal(0, h.Engine.Metrics.EvaluationErrors);
    }

    [Fact]
    public void WhenValue_JsonStringPayload_ComparedWithoutQuotes()
    {
        // Home Assistant mqtt_statestream publishes each state JSON-encoded: "on", "Kitchen Light".
        var h = new EngineHarness("""
            rules:
              - id: name
                topic: ha/light/kitchen/friendly_name
                each_message: true
                when: value == 'Kitchen Light'
                actions: [ { log: "{{value}}" } ]
            """);
        h.Send("ha/light/kitchen/friendly_name", "\"Kitchen Light\"").Send("ha/light/kitchen/friendly_name", "\"Other\"");
        Assert.Equal(["message@00:00 Kitchen Light"], h.Timeline());
    }

    [Theory]
    [InlineData("ENERGY.Power[0]", "{\"ENERGY\":{\"Power\":[1850,0]}}", "1850")]
    [InlineData("ENERGY.Power.1", "{\"ENERGY\":{\"Power\":[1850,7]}}", "7")]
    [InlineData("'attributes.\"temp.c\"'", "{\"attributes\":{\"temp.c\":21.5}}", "21.5")]
    public void ValuePath_IndexAndQuotedForms_ReadByTheRule(string path, string payload, string expected)
    {
        var h = new EngineHarness("""
            rules:
              - id: v
                topic: t
                value: PATH
                each_message: true
                actions: [ { log: "{{value}}" } ]
            """.Replace("PATH", path, StringComparison.Ordinal));
        h.Send("t", payload);
        Assert.Equal([$"message@00:00 {expected}"], h.Timeline());
    }
}
