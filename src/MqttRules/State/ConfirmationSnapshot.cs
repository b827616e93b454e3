namespace MqttRules.State;

/// <summary>
/// A publish waiting for its confirmation, as stored: where it is in its rule (<see cref="List"/>,
/// <see cref="Index"/>), the message sent (re-sent as it is), the confirmation topic and captures,
/// the sends so far and when the current wait ends.
/// </summary>
public sealed record ConfirmationSnapshot(
    string RuleId,
    string? Series,
    string List,
    int Index,
    string ConfirmTopic,
    string?[] Captures,
    int Attempts,
    DateTimeOffset Due,
    string ActionId,
    int Event,
    DateTimeOffset Time,
    string Topic,
    byte[] Payload,
    bool PayloadIsJson,
    int Qos,
    bool Retain);
