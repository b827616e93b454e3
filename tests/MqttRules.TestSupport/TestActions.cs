using MqttRules.Actions;
using MqttRules.Actions.Email;
using MqttRules.Actions.Log;
using MqttRules.Actions.Publish;
using MqttRules.Actions.Tweet;
using MqttRules.Actions.Webhook;
using MqttRules.Actions.Discord;
using MqttRules.Actions.Mastodon;
using MqttRules.Actions.Ntfy;
using MqttRules.Actions.Slack;
using MqttRules.Actions.Telegram;

namespace MqttRules.TestSupport;

/// <summary>Rendered actions as the engine would produce them.</summary>
internal static class TestActions
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TweetAction Tweet(string text = "Water at main: 12.5 L/min") =>
        new() { Time = T0, RuleId = "water-high", Event = RuleEvent.Fire, Series = "home/main/water", Text = text };

    public static WebhookAction Webhook(string url, string? body = "{\"text\":\"hi\"}", bool json = true) =>
        new() { Time = T0, RuleId = "freezer-warm", Event = RuleEvent.Fire, Series = "kitchen/freezer/temp", Url = url, Body = body, BodyIsJson = json };

    public static EmailAction Email(params string[] to) =>
        new() { Time = T0, RuleId = "freezer-warm", Event = RuleEvent.Fire, Series = "kitchen/freezer/temp", To = to, Subject = "Freezer", Body = "Freezer at -5 C" };

    public static MastodonAction Mastodon(string status = "Water at main: 12.5 L/min") =>
        new() { Time = T0, RuleId = "water-high", Event = RuleEvent.Fire, Series = "home/main/water", Status = status };

    public static NtfyAction Ntfy(string topic = "house-alerts", string message = "Freezer at -5 C") =>
        new() { Time = T0, RuleId = "freezer-warm", Event = RuleEvent.Fire, Series = "kitchen/freezer/temp", Topic = topic, Message = message };

    public static TelegramAction Telegram(string text = "Freezer at -5 C", string? chatId = null) =>
        new() { Time = T0, RuleId = "freezer-warm", Event = RuleEvent.Fire, Series = "kitchen/freezer/temp", Text = text, ChatId = chatId };

    public static SlackAction Slack(string text = "Freezer at -5 C", string? url = null) =>
        new() { Time = T0, RuleId = "freezer-warm", Event = RuleEvent.Fire, Series = "kitchen/freezer/temp", Text = text, Url = url };

    public static DiscordAction Discord(string content = "Freezer at -5 C", string? url = null) =>
        new() { Time = T0, RuleId = "freezer-warm", Event = RuleEvent.Fire, Series = "kitchen/freezer/temp", Content = content, Url = url };

    /// <summary>The action as the record of its kind; fails the test when it is another kind.</summary>
    public static T As<T>(this RenderedAction action)
        where T : RenderedAction => Assert.IsType<T>(action);

    /// <summary>The message of a log action.</summary>
    public static string LogMessage(this RenderedAction action) => action.As<LogAction>().Message;

    /// <summary>The payload of a publish action, as text.</summary>
    public static string PayloadText(this RenderedAction action) => action.As<PublishAction>().PayloadText;
}
