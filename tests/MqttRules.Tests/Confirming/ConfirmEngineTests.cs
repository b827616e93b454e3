using MqttRules.Actions.Publish;
using MqttRules.Tests.Support;
using static MqttRules.Tests.Confirming.ConfirmRules;

namespace MqttRules.Tests.Confirming;

/// <summary>Closed-loop commands on the engine's clock: confirmed, re-sent, unconfirmed.</summary>
public class ConfirmEngineTests
{
    [Fact]
    public void Confirm_ValveAnswersClosed_ConfirmedWithoutRetryOrAlert()
    {
        var h = new EngineHarness(Valve);
        h.Send("home/a/leak", """{"leak": true}""").At(3 * Second).Send("valves/a/state", "CLOSED").At(60 * Second);

        Assert.Equal(["fire@00:00 valves/a/set=CLOSE"], h.Timeline());
        Assert.Equal(1, h.Engine.Metrics.Confirmations("valve", "confirmed"));
        Assert.Equal(0, h.Engine.Metrics.Confirmations("valve", "retried"));
        Assert.Equal(0, h.Engine.PendingConfirmations);
    }

    [Fact]
    public void Confirm_WhenDoesNotHold_KeepsWaiting()
    {
        var h = new EngineHarness(Valve);
        h.Send("home/a/leak", """{"leak": true}""").At(3 * Second).Send("valves/a/state", "OPEN").At(9 * Second);

        Assert.Equal(1, h.Engine.PendingConfirmations);
        h.Send("valves/a/state", "CLOSED").At(60 * Second);
        Assert.Equal(["fire@00:00 valves/a/set=CLOSE"], h.Timeline());
    }

    [Fact]
    public void Confirm_AnswerOnAnotherMetersTopic_DoesNotConfirm()
    {
        var h = new EngineHarness(Valve);
        h.Send("home/a/leak", """{"leak": true}""").At(3 * Second).Send("valves/b/state", "CLOSED").At(10 * Second);

        Assert.Equal(["fire@00:00 valves/a/set=CLOSE", "retry@00:10 valves/a/set=CLOSE"], h.Timeline());
    }

    [Fact]
    public void Confirm_ConfirmedOnTheSecondTry_OneRetryThenQuiet()
    {
        var h = new EngineHarness(Valve);
        h.Send("home/a/leak", """{"leak": true}""").At(12 * Second).Send("valves/a/state", "CLOSED").At(120 * Second);

        Assert.Equal(["fire@00:00 valves/a/set=CLOSE", "retry@00:10 valves/a/set=CLOSE"], h.Timeline());
        Assert.Equal(1, h.Engine.Metrics.Confirmations("valve", "retried"));
        Assert.Equal(1, h.Engine.Metrics.Confirmations("valve", "confirmed"));
    }

    [Fact]
    public void Confirm_NeverAnswered_RetriesEachWithAFreshWaitThenOneUnconfirmed()
    {
        var h = new EngineHarness(Valve);
        h.Send("home/a/leak", """{"leak": true}""").At(29 * Second);
        Assert.Equal(3, h.Actions.Count);

        h.At(10 * 60 * Second);

        Assert.Equal(
            [
                "fire@00:00 valves/a/set=CLOSE",
                "retry@00:10 valves/a/set=CLOSE",
                "retry@00:20 valves/a/set=CLOSE",
                "unconfirmed@00:30 valve a did not close after 3 sends (valves/a/state silent)",
            ],
            h.Timeline());
        Assert.Equal(2, h.Engine.Metrics.Confirmations("valve", "retried"));
        Assert.Equal(1, h.Engine.Metrics.Confirmations("valve", "unconfirmed"));
        Assert.Equal(0, h.Engine.PendingConfirmations);
    }

    [Fact]
    public void Confirm_Retry_SendsTheSameMessageWithItsOwnIdempotencyKey()
    {
        var h = new EngineHarness(Valve);
        h.Send("home/a/leak", """{"leak": true}""").At(20 * Second);

        var sends = h.Actions.Cast<PublishAction>().ToList();
        Assert.All(sends, p => Assert.Equal((1, false, "CLOSE"), (p.Qos, p.Retain, p.PayloadText)));
        Assert.Equal(3, sends.Select(p => p.Id).Distinct().Count());
    }

    [Fact]
    public void Confirm_AnswerAfterTheLastWait_TooLateAlertAlreadyRan()
    {
        var h = new EngineHarness(Valve);
        h.Send("home/a/leak", """{"leak": true}""").At(31 * Second).Send("valves/a/state", "CLOSED");

        Assert.Equal(0, h.Engine.Metrics.Confirmations("valve", "confirmed"));
        Assert.Equal(1, h.Engine.Metrics.Confirmations("valve", "unconfirmed"));
    }

    [Fact]
    public void Confirm_TwoValvesAtOnce_EachWaitsForItsOwnAnswer()
    {
        var h = new EngineHarness(Valve);
        h.Send("home/a/leak", """{"leak": true}""").Send("home/b/leak", """{"leak": true}""")
            .At(5 * Second).Send("valves/b/state", "CLOSED").At(60 * Second);

        Assert.Contains("unconfirmed@00:30 valve a did not close after 3 sends (valves/a/state silent)", h.Timeline());
        Assert.DoesNotContain(h.Timeline(), l => l.Contains("valves/b/set", StringComparison.Ordinal) && l.StartsWith("retry", StringComparison.Ordinal));
    }

    [Fact]
    public void Confirm_NewCommandToTheSameValve_ReplacesTheOlderWait()
    {
        var h = new EngineHarness(Valve);
        h.Send("home/a/leak", """{"leak": true}""").At(5 * Second).Send("home/a/leak", """{"leak": false}""")
            .At(8 * Second).Send("home/a/leak", """{"leak": true}""").At(17 * Second);

        // The first wait would have ended at 00:10; the second command's wait ends at 00:18.
        Assert.Equal(["fire@00:00 valves/a/set=CLOSE", "fire@00:08 valves/a/set=CLOSE"], h.Timeline());
        Assert.Equal(1, h.Engine.PendingConfirmations);
        h.At(18 * Second);
        Assert.Equal("retry@00:18 valves/a/set=CLOSE", h.Timeline()[^1]);
    }

    [Fact]
    public void Confirm_TopicRendersWithAWildcard_PublishGoesOutUnwatchedAndTheErrorIsCounted()
    {
        const string yaml = """
            rules:
              - id: named
                topic: home/leak
                when: leak
                actions:
                  - publish: { topic: valves/main/set, payload: CLOSE, confirm: { topic: "valves/{{name}}/state", within: 10s } }
            """;
        var h = new EngineHarness(yaml);
        h.Send("home/leak", """{"leak": true, "name": "a+b"}""").At(60 * Second);

        Assert.Equal(["fire@00:00 valves/main/set=CLOSE"], h.Timeline());
        Assert.Equal(0, h.Engine.PendingConfirmations);
        Assert.Equal(1, h.Engine.Metrics.EvaluationErrorsOf("named"));
    }

    [Fact]
    public void Subscriptions_ConfirmTopicOfNoRule_SubscribedAsAFilter()
    {
        var h = new EngineHarness(Valve);

        Assert.Equal(["home/+/leak", "valves/+/state"], h.Engine.Subscriptions);
    }

    [Fact]
    public void Process_ConfirmationMessage_CountedAsEvaluatedOnlyWhileAwaited()
    {
        var h = new EngineHarness(Valve);
        Assert.False(h.Engine.Process("valves/a/state", "CLOSED"u8.ToArray()));

        h.Send("home/a/leak", """{"leak": true}""");

        Assert.True(h.Engine.Process("valves/a/state", "CLOSED"u8.ToArray()));
    }

    [Fact]
    public void Process_ViaAnotherSubscription_DoesNotConfirm()
    {
        var h = new EngineHarness(Valve);
        h.Send("home/a/leak", """{"leak": true}""");

        h.Engine.Process("valves/a/state", "CLOSED"u8.ToArray(), via: ["valves/#"]);
        Assert.Equal(1, h.Engine.PendingConfirmations);
        h.Engine.Process("valves/a/state", "CLOSED"u8.ToArray(), via: ["valves/+/state"]);
        Assert.Equal(0, h.Engine.PendingConfirmations);
    }

    [Fact]
    public void NextDue_WhileWaiting_IsTheEndOfTheWait()
    {
        var h = new EngineHarness(Valve);
        h.Send("home/a/leak", """{"leak": true}""");

        Assert.Equal(EngineHarness.Start + 10 * Second, h.Engine.NextDue);
    }

    [Fact]
    public void Metrics_ConfirmingRule_ShownWithZeroBeforeItsFirstOutcome()
    {
        var h = new EngineHarness(Valve);

        var text = h.Engine.Metrics.ToPrometheusText();

        Assert.Contains("mqttrules_confirmations_total{rule=\"valve\",outcome=\"confirmed\"} 0\n", text);
        Assert.Contains("mqttrules_confirmations_total{rule=\"valve\",outcome=\"retried\"} 0\n", text);
        Assert.Contains("mqttrules_confirmations_total{rule=\"valve\",outcome=\"unconfirmed\"} 0\n", text);
    }

    [Fact]
    public void Confirm_JsonFieldInWhen_ReadFromTheConfirmationPayload()
    {
        var h = new EngineHarness(Valve.Replace("payload == 'CLOSED'", "state == 'closed' and position < 5", StringComparison.Ordinal));
        h.Send("home/a/leak", """{"leak": true}""").At(2 * Second).Send("valves/a/state", """{"state": "closed", "position": 40}""")
            .At(4 * Second).Send("valves/a/state", """{"state": "closed", "position": 0}""").At(60 * Second);

        Assert.Equal(["fire@00:00 valves/a/set=CLOSE"], h.Timeline());
    }

    [Fact]
    public void Confirm_ScheduledRule_WaitsAndAlertsToo()
    {
        const string yaml = """
            rules:
              - id: night
                schedule: "0 22 * * *"
                actions:
                  - publish: { topic: valves/main/set, payload: CLOSE, confirm: { topic: valves/main/state, within: 1m } }
                on_unconfirmed:
                  - log: "main valve silent after {{attempts}}"
            """;
        var h = new EngineHarness(yaml);
        h.At(TimeSpan.FromHours(22) + TimeSpan.FromMinutes(2));

        Assert.Equal(["schedule@1320:00 valves/main/set=CLOSE", "unconfirmed@1321:00 main valve silent after 1"], h.Timeline());
    }

    [Fact]
    public void Confirm_OnResolvePublish_ConfirmedLikeAFire()
    {
        const string yaml = """
            rules:
              - id: leak
                topic: home/leak
                when: leak
                actions: [ { log: wet } ]
                on_resolve:
                  - publish: { topic: valves/main/set, payload: OPEN, confirm: { topic: valves/main/state, when: "payload == 'OPEN'", within: 10s, retries: 1 } }
                on_unconfirmed:
                  - log: "still shut after {{attempts}}"
            """;
        var h = new EngineHarness(yaml);
        h.Send("home/leak", """{"leak": true}""").At(5 * Second).Send("home/leak", """{"leak": false}""").At(60 * Second);

        Assert.Equal(["fire@00:00 wet", "resolve@00:05 valves/main/set=OPEN", "retry@00:15 valves/main/set=OPEN", "unconfirmed@00:25 still shut after 2"], h.Timeline());
    }
}
