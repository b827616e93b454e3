using MqttRules.Actions;
using MqttRules.Actions.Email;
using MqttRules.Actions.Tweet;
using MqttRules.Actions.Webhook;

namespace MqttRules.IntegrationTests.Notifications;

internal static class Actions
{
    public static TweetAction Tweet(string text) =>
        new() { Time = DateTimeOffset.UnixEpoch, RuleId = "water-high", Event = RuleEvent.Fire, Series = "home/main/water", Text = text };

    public static WebhookAction Webhook(Uri url, string body = "{\"text\":\"Freezer at -5 C\"}", bool json = true) =>
        new() { Time = DateTimeOffset.UnixEpoch, RuleId = "freezer-warm", Event = RuleEvent.Fire, Series = "kitchen/freezer/temp", Url = url.ToString(), Body = body, BodyIsJson = json };

    public static EmailAction Email(params string[] to) =>
        new() { Time = DateTimeOffset.UnixEpoch, RuleId = "freezer-warm", Event = RuleEvent.Fire, Series = "kitchen/freezer/temp", To = to, ToIsList = to.Length > 1, Subject = "Freezer warm", Body = "Freezer at -5 C" };
}
