using MqttRules.Actions;

namespace MqttRules.Outbox;

/// <summary>One stored external action awaiting delivery.</summary>
internal sealed record OutboxRow(long Seq, string Id, string Kind, string Lane, string ActionJson, int Attempts)
{
    /// <summary>The stored action (of any version of the stored form), or null when it cannot be read.</summary>
    public RenderedAction? Action() => OutboxJson.Read(ActionJson);

    public static string Serialize(RenderedAction action) => OutboxJson.Write(action);

    /// <summary>The delivery queue of an action: one per kind, webhooks one per host, so a dead endpoint delays only itself.</summary>
    public static string LaneOf(ExternalAction action) => action.DeliveryLane();
}
