namespace MqttRules.Engine;

/// <summary>What happened to a publish waiting for confirmation, as <c>explain</c> shows it.</summary>
internal enum ConfirmStep { Awaiting, NotYet, Confirmed, Retried, Unconfirmed, Restored }

internal static class ConfirmStepText
{
    public static string Code(ConfirmStep step) => step switch
    {
        ConfirmStep.Awaiting => "awaiting_confirmation",
        ConfirmStep.NotYet => "confirmation_not_met",
        ConfirmStep.Confirmed => "confirmed",
        ConfirmStep.Retried => "retried",
        ConfirmStep.Restored => "confirmation_restored",
        _ => "unconfirmed",
    };

    public static string Sentence(ConfirmStep step, PendingConfirmation p) => step switch
    {
        ConfirmStep.Awaiting => $"the publish to {p.Publish.Topic} waits for a confirmation on {p.Topic}{Condition(p)}",
        ConfirmStep.NotYet => $"a message on {p.Topic} came, but {p.Spec.When?.Source} does not hold: still waiting",
        ConfirmStep.Confirmed => $"confirmed on {p.Topic} after {p.Attempts} send(s)",
        ConfirmStep.Retried => $"no confirmation on {p.Topic} in time: {p.Publish.Topic} sent again (send {p.Attempts} of {p.Spec.Retries + 1})",
        ConfirmStep.Restored => $"the publish to {p.Publish.Topic} still waits for a confirmation on {p.Topic} after the restart",
        _ => $"no confirmation on {p.Topic} after {p.Attempts} send(s): on_unconfirmed runs",
    };

    /// <summary>The event the step causes: <c>retry</c>, <c>unconfirmed</c> or <c>none</c>.</summary>
    public static string Event(ConfirmStep step) => step switch
    {
        ConfirmStep.Retried => "retry",
        ConfirmStep.Unconfirmed => "unconfirmed",
        _ => "none",
    };

    private static string Condition(PendingConfirmation p) => p.Spec.When is { } when ? $" where {when.Source}" : "";
}
