using MqttRules.Actions;
using MqttRules.Rules;

namespace MqttRules.IntegrationTests.Notifications;

internal static class Actions
{
    public static RenderedAction Tweet(string text) =>
        new() { Time = DateTimeOffset.UnixEpoch, RuleId = "water-high", Event = RuleEvent.Fire, Series = "home/main/water", Kind = ActionKind.Tweet, Text = text };

    public static RenderedAction Webhook(Uri url, string body = "{\"text\":\"Freezer at -5 C\"}", bool json = true) =>
        new() { Time = DateTimeOffset.UnixEpoch, RuleId = "freezer-warm", Event = RuleEvent.Fire, Series = "kitchen/freezer/temp", Kind = ActionKind.Webhook, Url = url.ToString(), Body = body, BodyIsJson = json };

    public static RenderedAction Email(params string[] to) =>
        new() { Time = DateTimeOffset.UnixEpoch, RuleId = "freezer-warm", Event = RuleEvent.Fire, Series = "kitchen/freezer/temp", Kind = ActionKind.Email, To = to, ToIsList = to.Length > 1, Subject = "Freezer warm", Body = "Freezer at -5 C" };
}
