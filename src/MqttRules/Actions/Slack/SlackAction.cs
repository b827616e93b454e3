using System.Text.Json;
using MqttRules.Actions.Delivery;
using MqttRules.Expressions;
using MqttRules.Rules;

namespace MqttRules.Actions.Slack;

/// <summary>A Slack message through an incoming webhook: <c>{"text"}</c>. The URL is never printed.</summary>
internal sealed record SlackAction : IncomingWebhookAction
{
    protected override ActionKind OwnKind => ActionKind.Slack;

    public string Text { get; init; } = "";

    public override void WriteFields(Utf8JsonWriter writer) => writer.WriteString("text", Text);

    public override string Describe() => $"slack {ActionText.Quote(Text)}";

    internal static SlackAction Render(SlackSpec spec, EvalContext ctx, ActionOrigin origin) =>
        new() { Origin = origin, Text = spec.Text.Render(ctx, out _), Url = RenderUrl(spec.Url, ctx, "slack") };
}
