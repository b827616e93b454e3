using MqttRules.Rules;

namespace MqttRules.Actions;

public enum RuleEvent { Fire, Resolve, Repeat, Message, Schedule }

/// <summary>
/// An action with every template filled in: a plain value that <c>replay</c> prints and the
/// outbox delivers. <see cref="Kind"/> is the action actually run (a notify is rendered as its
/// notifier's action, with <see cref="Notifier"/> set).
/// </summary>
public sealed record RenderedAction
{
    public required DateTimeOffset Time { get; init; }
    public required string RuleId { get; init; }
    public required RuleEvent Event { get; init; }
    public string? Series { get; init; }
    public required ActionKind Kind { get; init; }
    public string? Notifier { get; init; }

    /// <summary>Unique per action; the idempotency key of external deliveries.</summary>
    public string Id { get; init; } = UniqueIds.Next();

    public string? Topic { get; init; }
    public string? Payload { get; init; }
    public bool PayloadIsJson { get; init; }
    public int Qos { get; init; }
    public bool Retain { get; init; }
    public string? Text { get; init; }
    public string? Url { get; init; }
    public string? Method { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
    public string? Body { get; init; }
    public bool BodyIsJson { get; init; }

    /// <summary>E-mail recipients; <see cref="ToIsList"/> keeps the shape the rule used.</summary>
    public IReadOnlyList<string> To { get; init; } = [];
    public bool ToIsList { get; init; }
    public string? Subject { get; init; }
    public string? Message { get; init; }
    public string? Level { get; init; }

    public static string EventName(RuleEvent e) => e switch
    {
        RuleEvent.Fire => "fire",
        RuleEvent.Resolve => "resolve",
        RuleEvent.Repeat => "repeat",
        RuleEvent.Message => "message",
        _ => "schedule",
    };

    public static string KindName(ActionKind k) => k switch
    {
        ActionKind.Publish => "publish",
        ActionKind.Tweet => "tweet",
        ActionKind.Webhook => "webhook",
        ActionKind.Email => "email",
        ActionKind.Notify => "notify",
        _ => "log",
    };

    /// <summary>True for actions that leave the machine and go through the durable outbox.</summary>
    public bool IsExternal => Kind is ActionKind.Tweet or ActionKind.Webhook or ActionKind.Email;
}
