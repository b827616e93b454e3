using MqttRules.Actions;
using MqttRules.Rules;

namespace MqttRules.TestSupport;

/// <summary>Rendered actions as the engine would produce them.</summary>
internal static class TestActions
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static RenderedAction Tweet(string text = "Water at main: 12.5 L/min") =>
        new() { Time = T0, RuleId = "water-high", Event = RuleEvent.Fire, Series = "home/main/water", Kind = ActionKind.Tweet, Text = text };

    public static RenderedAction Webhook(string url, string? body = "{\"text\":\"hi\"}", bool json = true) =>
        new() { Time = T0, RuleId = "freezer-warm", Event = RuleEvent.Fire, Series = "kitchen/freezer/temp", Kind = ActionKind.Webhook, Url = url, Body = body, BodyIsJson = json };

    public static RenderedAction Email(params string[] to) =>
        new() { Time = T0, RuleId = "freezer-warm", Event = RuleEvent.Fire, Series = "kitchen/freezer/temp", Kind = ActionKind.Email, To = to, Subject = "Freezer", Body = "Freezer at -5 C" };
}
