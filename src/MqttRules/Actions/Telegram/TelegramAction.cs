using System.Text.Json;
using MqttRules.Expressions;
using MqttRules.Rules;

namespace MqttRules.Actions.Telegram;

/// <summary>A Telegram message from the bot; <see cref="ChatId"/> null: TELEGRAM_CHAT_ID. Text shortened to 4096.</summary>
internal sealed record TelegramAction : ExternalAction
{
    /// <summary>Telegram's limit for a message text.</summary>
    public const int MaxLength = 4096;

    protected override ActionKind OwnKind => ActionKind.Telegram;

    public string Text { get; init; } = "";
    public string? ChatId { get; init; }

    public override string MissingSetup() => "TELEGRAM_BOT_TOKEN is not configured";

    /// <summary>The text as it is sent.</summary>
    public string ShortText() => TextLimit.Shorten(Text, MaxLength, TextLimit.Measure.Utf16);

    public override void WriteFields(Utf8JsonWriter writer)
    {
        writer.WriteString("chat_id", ChatId);
        writer.WriteString("text", ShortText());
    }

    public override string Describe() => $"telegram {ActionText.Quote(Text)}";

    internal static TelegramAction Render(TelegramSpec spec, EvalContext ctx, ActionOrigin origin) => new()
    {
        Origin = origin,
        Text = spec.Text.Render(ctx, out _),
        ChatId = spec.ChatId?.Render(ctx, out _) is { Length: > 0 } chat ? chat : null,
    };
}
