using MqttRules.Actions;
using MqttRules.Actions.Email;
using MqttRules.Actions.Log;
using MqttRules.Actions.Publish;
using MqttRules.Actions.Tweet;
using MqttRules.Actions.Webhook;
using MqttRules.Rules;

namespace MqttRules.Outbox;

/// <summary>
/// Version 1 of the stored form: one flat object with a nullable field per kind, PascalCase names
/// (<c>{"Time":…,"RuleId":…,"Kind":"Webhook",…,"Url":…}</c>), as written before actions had a type
/// per kind. Only read, to deliver what an older version left in the outbox. Frozen: do not add kinds.
/// </summary>
internal sealed record LegacyAction
{
    public DateTimeOffset Time { get; init; }
    public string RuleId { get; init; } = "?";
    public RuleEvent Event { get; init; }
    public string? Series { get; init; }
    public ActionKind Kind { get; init; }
    public string? Notifier { get; init; }
    public string? Id { get; init; }
    public string? Topic { get; init; }
    public string? Payload { get; init; }
    public bool PayloadIsJson { get; init; }
    public int Qos { get; init; }
    public bool Retain { get; init; }
    public string? Text { get; init; }
    public string? Url { get; init; }
    public string? Method { get; init; }
    public List<KeyValuePair<string, string>>? Headers { get; init; }
    public string? Body { get; init; }
    public bool BodyIsJson { get; init; }
    public List<string>? To { get; init; }
    public bool ToIsList { get; init; }
    public string? Subject { get; init; }
    public string? Message { get; init; }
    public string? Level { get; init; }

    public RenderedAction? ToAction()
    {
        var origin = new ActionOrigin(Time, RuleId, Event, Series);
        RenderedAction? action = Kind switch
        {
            ActionKind.Tweet => new TweetAction { Origin = origin, Text = Text ?? "" },
            ActionKind.Webhook => new WebhookAction
            {
                Origin = origin,
                Url = Url ?? "", Method = Method ?? "POST", Headers = Headers ?? [], Body = Body, BodyIsJson = BodyIsJson,
            },
            ActionKind.Email => new EmailAction { Origin = origin, To = To ?? [], ToIsList = ToIsList, Subject = Subject, Body = Body ?? Message ?? "" },
            ActionKind.Publish => new PublishAction
            {
                Origin = origin,
                Topic = Topic ?? "", Payload = System.Text.Encoding.UTF8.GetBytes(Payload ?? ""), PayloadIsJson = PayloadIsJson, Qos = Qos, Retain = Retain,
            },
            ActionKind.Log => new LogAction { Origin = origin, Message = Message ?? "", Level = Level ?? "info" },
            _ => null,
        };
        if (action is not null && Notifier is not null)
        {
            action = action.ViaNotifier(Notifier, Message ?? "");
        }

        return action is null || Id is null ? action : action with { Id = Id };
    }
}
