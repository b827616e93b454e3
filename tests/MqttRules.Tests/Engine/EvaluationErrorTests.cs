using Microsoft.Extensions.Logging;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Engine;

/// <summary>
/// Issue 9.5: a template hole that cannot be evaluated renders empty in every kind of rule and
/// the other actions run; failed evaluations are counted per rule and logged (rate-limited).
/// </summary>
public class EvaluationErrorTests
{
    // A Zigbee2MQTT motion sensor (docs: devices/RTCGQ11LM) that sometimes reports without battery.
    private const string MotionLight = """
        rules:
          - id: hall-motion
            topic: zigbee2mqtt/hall_motion
            each_message: true
            when: occupancy
            actions:
              - publish: { topic: zigbee2mqtt/hall_light/set, payload: { state: "ON" } }
              - log: "hall motion, sensor battery {{battery}}%"
        """;

    [Fact]
    public void EachMessage_MissingFieldInOneAction_OtherActionsStillRun()
    {
        var h = new EngineHarness(MotionLight);
        h.Send("zigbee2mqtt/hall_motion", """{"occupancy":true,"illuminance":15,"linkquality":120}""");
        Assert.Equal(
            ["message@00:00 zigbee2mqtt/hall_light/set={\"state\":\"ON\"}", "message@00:00 hall motion, sensor battery %"],
            h.Timeline());
        Assert.Equal(1, h.Engine.Metrics.EvaluationErrorsOf("hall-motion"));
    }

    [Fact]
    public void FireRule_MissingFieldInOneAction_SameAsEachMessage()
    {
        var h = new EngineHarness(MotionLight.Replace("    each_message: true\n", "", StringComparison.Ordinal));
        h.Send("zigbee2mqtt/hall_motion", """{"occupancy":true}""");
        Assert.Equal(
            ["fire@00:00 zigbee2mqtt/hall_light/set={\"state\":\"ON\"}", "fire@00:00 hall motion, sensor battery %"],
            h.Timeline());
        Assert.Equal(1, h.Engine.Metrics.EvaluationErrorsOf("hall-motion"));
    }

    [Fact]
    public void EachMessage_PayloadThatIsOnlyAFailedHole_SkipsThatActionOnly()
    {
        var h = new EngineHarness("""
            rules:
              - id: convert
                topic: sensors/+/temp_f
                each_message: true
                actions:
                  - publish: { topic: "sensors/{{topic_level(1)}}/temp_c", payload: "{{round((value - 32) / 1.8, 2)}}" }
                  - log: "reading from {{topic_level(1)}}"
            """);
        h.Send("sensors/porch/temp_f", "n/a");
        Assert.Equal(["message@00:00 reading from porch"], h.Timeline());
        Assert.Equal(1, h.Engine.Metrics.EvaluationErrors);
    }

    [Fact]
    public void FailedEvaluations_LoggedAtWarningWithRuleSeriesAndReason_OncePerMinute()
    {
        var log = new ListLogger();
        var h = new EngineHarness(MotionLight, logger: log);
        for (var i = 0; i < 5; i++)
        {
            h.Send("zigbee2mqtt/hall_motion", """{"occupancy":true}""").Advance(TimeSpan.FromSeconds(10));
        }

        var first = Assert.Single(log.At(LogLevel.Warning));
        Assert.Contains("hall-motion", first);
        Assert.Contains("zigbee2mqtt/hall_motion", first);
        Assert.Contains("'{{battery}}'", first);

        h.Advance(TimeSpan.FromSeconds(20)).Send("zigbee2mqtt/hall_motion", """{"occupancy":true}""");
        var warnings = log.At(LogLevel.Warning).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("4 more failed evaluations of this rule since the previous line", warnings[1]);
        Assert.Equal(6, h.Engine.Metrics.EvaluationErrorsOf("hall-motion"));
    }

    [Fact]
    public void FailedEvaluations_RateLimitIsPerRule()
    {
        var log = new ListLogger();
        var h = new EngineHarness("""
            rules:
              - id: a
                topic: t
                when: x > 1
                actions: [ { log: a } ]
              - id: b
                topic: t
                value: y
                each_message: true
                actions: [ { log: b } ]
            """, logger: log);
        h.Send("t", "{}").Send("t", "{}");
        var warnings = log.At(LogLevel.Warning).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.StartsWith("Rule a, series t: 'when: x > 1'", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("Rule b, series t: the payload has no 'y'", StringComparison.Ordinal));
    }

    /// <summary>A <c>like</c> over its budget (issue 10): the rule does not match that message and the failure is counted.</summary>
    [Fact]
    public void EachMessage_LikeOverTheBudget_NoMatchCountedNextMessageMatches()
    {
        var h = new EngineHarness("""
            rules:
              - id: grep
                topic: logs/in
                each_message: true
                when: s like p
                actions: [ { log: "matched" } ]
            """);
        var pattern = "%" + string.Concat(Enumerable.Repeat("a_", 15_000)) + "b%";
        h.Send("logs/in", "{\"s\": \"" + new string('a', 300_000) + "\", \"p\": \"" + pattern + "\"}");
        h.Send("logs/in", """{"s": "xaby", "p": "%ab%"}""");

        Assert.Equal(["message@00:00 matched"], h.Timeline());
        Assert.Equal(1, h.Engine.Metrics.EvaluationErrorsOf("grep"));
    }

    [Fact]
    public void Metrics_EvaluationErrors_CarryARuleLabel()
    {
        var h = new EngineHarness(MotionLight);
        h.Send("zigbee2mqtt/hall_motion", """{"occupancy":true}""");
        var text = h.Engine.Metrics.ToPrometheusText();
        Assert.Contains("mqttrules_evaluation_errors_total{rule=\"hall-motion\"} 1\n", text);
        Assert.DoesNotContain("mqttrules_evaluation_errors_total 1", text);
    }

    [Fact]
    public void Metrics_EvaluationErrors_EveryRuleListedFromZero()
    {
        var h = new EngineHarness(MotionLight);
        Assert.Contains("mqttrules_evaluation_errors_total{rule=\"hall-motion\"} 0\n", h.Engine.Metrics.ToPrometheusText());
    }

    [Fact]
    public void Schedule_WhenUndecided_CountedForTheRule()
    {
        var h = new EngineHarness("""
            rules:
              - id: nightly
                schedule: "0 * * * *"
                when: last('home/x') > 1
                actions: [ { log: x } ]
            """);
        h.Advance(TimeSpan.FromHours(1));
        Assert.Empty(h.Actions);
        Assert.Equal(1, h.Engine.Metrics.EvaluationErrorsOf("nightly"));
    }

    [Fact]
    public void FailedEvaluations_SuppressedOnes_AllocateNothingMoreThanADecidedMessage()
    {
        var log = new ListLogger();
        var h = new EngineHarness("""
            rules:
              - id: hot
                topic: home/main/water
                when: lpm > 30
                actions: [ { log: x } ]
            """, logger: log);
        var decided = "{\"lpm\": 12}"u8.ToArray();
        var undecided = "{\"flow\": 12}"u8.ToArray();
        long Measure(byte[] payload)
        {
            for (var i = 0; i < 100; i++)
            {
                h.Engine.Process("home/main/water", payload);
            }

            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                h.Engine.Process("home/main/water", payload);
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        var baseline = Measure(decided);
        var failing = Measure(undecided);
        Assert.Single(log.At(LogLevel.Warning));
        Assert.True(failing <= baseline + 1024, $"1000 failed evaluations allocated {failing} bytes, 1000 decided ones {baseline}");
        Assert.Equal(1100, h.Engine.Metrics.EvaluationErrorsOf("hot"));
    }
}
