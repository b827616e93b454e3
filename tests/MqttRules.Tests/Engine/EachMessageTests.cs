using MqttRules.Tests.Support;

namespace MqttRules.Tests.Engine;

/// <summary><c>each_message: true</c>: no firing state; <c>when</c> filters, <c>cooldown</c> limits runs per series (SPEC §5).</summary>
public class EachMessageTests
{
    private const string Fahrenheit = """
        rules:
          - id: fahrenheit
            topic: sensors/+/temp_f
            each_message: true
            actions:
              - publish: { topic: "sensors/{{topic_level(1)}}/temp_c", payload: "{{round((value - 32) / 1.8, 2)}}" }
        """;

    [Fact]
    public void EachMessage_EveryMatchingMessage_RunsActions()
    {
        var h = new EngineHarness(Fahrenheit);
        h.Send("sensors/kitchen/temp_f", "68").Send("sensors/porch/temp_f", "{\"value\": 69}").Send("sensors/kitchen/temp_f", "212");
        Assert.Equal(
            ["message@00:00 sensors/kitchen/temp_c=20", "message@00:00 sensors/porch/temp_c=20.56", "message@00:00 sensors/kitchen/temp_c=100"],
            h.Timeline());
        Assert.All(h.Actions, a => Assert.Equal(MqttRules.Actions.RuleEvent.Message, a.Event));
    }

    [Fact]
    public void EachMessage_When_IsAFilter()
    {
        var h = new EngineHarness("""
            rules:
              - id: door
                topic: door/+/state
                each_message: true
                when: state == 'open'
                actions: [ { log: "{{topic_level(1)}} opened" } ]
            """);
        h.Send("door/front/state", "{\"state\": \"open\"}").Send("door/front/state", "{\"state\": \"closed\"}").Send("door/back/state", "{\"state\": \"open\"}");
        Assert.Equal(["message@00:00 front opened", "message@00:00 back opened"], h.Timeline());
    }

    [Fact]
    public void EachMessage_Cooldown_LimitsRunsPerSeries()
    {
        var h = new EngineHarness(Fahrenheit.Replace("each_message: true", "each_message: true\n    cooldown: 1m", StringComparison.Ordinal));
        h.Send("sensors/a/temp_f", "50")
            .Advance(TimeSpan.FromSeconds(30)).Send("sensors/a/temp_f", "51").Send("sensors/b/temp_f", "52")
            .Advance(TimeSpan.FromSeconds(30)).Send("sensors/a/temp_f", "53")
            .Advance(TimeSpan.FromSeconds(10)).Send("sensors/b/temp_f", "54");
        Assert.Equal(
            ["message@00:00 sensors/a/temp_c=10", "message@00:30 sensors/b/temp_c=11.11", "message@01:00 sensors/a/temp_c=11.67"],
            h.Timeline());
    }

    [Fact]
    public void EachMessage_CooldownHeldBackRuns_AreDroppedNotDeferred()
    {
        var h = new EngineHarness(Fahrenheit.Replace("each_message: true", "each_message: true\n    cooldown: 1m", StringComparison.Ordinal));
        h.Send("sensors/a/temp_f", "50").Advance(TimeSpan.FromSeconds(10)).Send("sensors/a/temp_f", "51").Advance(TimeSpan.FromMinutes(5));
        Assert.Single(h.Actions);
    }

    [Fact]
    public void EachMessage_NonNumericPayload_DoesNotMatchAndIsCounted()
    {
        var h = new EngineHarness(Fahrenheit);
        h.Send("sensors/a/temp_f", "warm").Send("sensors/a/temp_f", "{\"t\": 1}").Send("sensors/a/temp_f", "50");
        Assert.Equal(["message@00:00 sensors/a/temp_c=10"], h.Timeline());
        Assert.Equal(2, h.Engine.Metrics.EvaluationErrors);
    }

    [Fact]
    public void EachMessage_NonMatchingMessage_DoesNotUseUpTheCooldown()
    {
        var h = new EngineHarness(Fahrenheit.Replace("each_message: true", "each_message: true\n    cooldown: 1m", StringComparison.Ordinal));
        h.Send("sensors/a/temp_f", "warm").Advance(TimeSpan.FromSeconds(5)).Send("sensors/a/temp_f", "50");
        Assert.Equal(["message@00:05 sensors/a/temp_c=10"], h.Timeline());
    }

    [Fact]
    public void EachMessage_OptionalFieldMissingInLog_RendersEmptyAndStillRuns()
    {
        var h = new EngineHarness("""
            rules:
              - id: door
                topic: door
                each_message: true
                actions: [ { log: "{{who}} opened the door" } ]
            """);
        h.Send("door", "{\"who\": \"Ann\"}").Send("door", "{}");
        // Issue 9: as in a firing rule, a failed hole renders empty and the action runs (counted, logged).
        Assert.Equal(["message@00:00 Ann opened the door", "message@00:00  opened the door"], h.Timeline());
        Assert.Equal(1, h.Engine.Metrics.EvaluationErrorsOf("door"));
    }
}
