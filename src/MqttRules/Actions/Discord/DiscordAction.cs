using System.Text.Json;
using MqttRules.Actions.Delivery;
using MqttRules.Expressions;
using MqttRules.Rules;

namespace MqttRules.Actions.Discord;

/// <summary>A Discord message through a webhook: <c>{"content", "username"}</c>; content shortened to 2000. The URL is never printed.</summary>
internal sealed record DiscordAction : IncomingWebhookAction
{
    /// <summary>Discord refuses longer content (400).</summary>
    public const int MaxLength = 2000;

    protected override ActionKind OwnKind => ActionKind.Discord;

    public string Content { get; init; } = "";
    public string? Username { get; init; }

    /// <summary>The content as it is sent.</summary>
    public string ShortContent() => TextLimit.Shorten(Content, MaxLength, TextLimit.Measure.Utf16);

    public override void WriteFields(Utf8JsonWriter writer)
    {
        writer.WriteString("content", ShortContent());
        writer.WriteString("username", Username);
    }

    public override string Describe() => $"discord {ActionText.Quote(Content)}";

    internal static DiscordAction Render(DiscordSpec spec, EvalContext ctx, ActionOrigin origin) => new()
    {
        Origin = origin,
        Content = spec.Content.Render(ctx, out _),
        Username = spec.Username?.Render(ctx, out _),
        Url = RenderUrl(spec.Url, ctx, "discord"),
    };
}
