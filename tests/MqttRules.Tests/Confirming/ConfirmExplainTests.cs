using System.Text.Json;
using MqttRules.Tests.Explaining;

namespace MqttRules.Tests.Confirming;

/// <summary><c>explain</c> on the replay clock shows a publish waiting for its confirmation and what became of it.</summary>
public sealed class ConfirmExplainTests
{
    private static List<(string Trigger, string Reason, string Event, string? Until)> Decisions(params (double At, string Topic, string? Payload)[] messages) =>
        [.. ExplainerTests.Explain(ConfirmRules.Valve, null, messages)
            .Where(l => l.TryGetProperty("reason", out _) && l.GetProperty("rule").GetString() == "valve")
            .Select(l => (l.GetProperty("trigger").GetString()!, l.GetProperty("reason").GetString()!, l.GetProperty("event").GetString()!,
                l.GetProperty("until").ValueKind == JsonValueKind.Null ? null : l.GetProperty("until").GetString()))];

    [Fact]
    public void Explain_FireThenAnswers_ShowsTheWaitAfterTheFireThenNotMetThenConfirmed()
    {
        var decisions = Decisions((0, "home/a/leak", """{"leak": true}"""), (2, "valves/a/state", "OPEN"), (4, "valves/a/state", "CLOSED"));

        Assert.Equal(
            [
                ("message", "condition_held", "fire", null),
                ("confirmation", "awaiting_confirmation", "none", "2026-01-01T00:00:10.000Z"),
                ("confirmation", "confirmation_not_met", "none", "2026-01-01T00:00:10.000Z"),
                ("confirmation", "confirmed", "none", null),
            ],
            decisions);
    }

    [Fact]
    public void Explain_NoAnswer_ShowsEachRetryWithItsNewWaitThenUnconfirmed()
    {
        var decisions = Decisions((0, "home/a/leak", """{"leak": true}"""), (60, "home/a/leak", """{"leak": true}"""));

        Assert.Equal(
            [
                ("confirmation", "retried", "retry", "2026-01-01T00:00:20.000Z"),
                ("confirmation", "retried", "retry", "2026-01-01T00:00:30.000Z"),
                ("confirmation", "unconfirmed", "unconfirmed", null),
            ],
            decisions.Where(d => d.Reason is "retried" or "unconfirmed"));
    }
}
