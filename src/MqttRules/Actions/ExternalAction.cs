namespace MqttRules.Actions;

/// <summary>
/// An action that leaves the machine through the durable outbox (tweet, webhook, e-mail): stored on
/// the engine thread, delivered with retries by its kind's executor.
/// </summary>
internal abstract record ExternalAction : RenderedAction
{
    /// <summary>The outbox lane: actions of one lane are delivered in order, lanes independently.</summary>
    public virtual string DeliveryLane() => KindText;

    /// <summary>What to set up so that this kind is sent, for the "not sent" warning.</summary>
    public virtual string MissingSetup() => $"no {KindText} executor is configured";

    /// <summary>The action as kept in the dead letters: a credential it carries (a Slack or Discord webhook URL) masked.</summary>
    public virtual ExternalAction WithoutSecrets() => this;
}
