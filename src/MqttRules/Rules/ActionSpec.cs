using MqttRules.Expressions;

namespace MqttRules.Rules;

public enum ActionKind { Publish, Tweet, Webhook, Email, Notify, Log, Mastodon, Ntfy, Telegram, Slack, Discord }

/// <summary>A body or payload: a template, or a mapping/list whose scalars are templates (sent as JSON).</summary>
internal abstract record ContentSpec;

internal sealed record TextContent(Template Template) : ContentSpec;

internal sealed record JsonContent(JsonTemplateNode Root) : ContentSpec;

/// <summary>One action of a rule, with every string already compiled to a template.</summary>
public abstract record ActionSpec(SourceLocation Location)
{
    public abstract ActionKind Kind { get; }
}

internal sealed record PublishSpec(SourceLocation Location, Template Topic, ContentSpec Payload, int Qos, bool Retain) : ActionSpec(Location)
{
    public override ActionKind Kind => ActionKind.Publish;
}

internal sealed record TweetSpec(SourceLocation Location, Template Text) : ActionSpec(Location)
{
    public override ActionKind Kind => ActionKind.Tweet;
}

internal sealed record WebhookSpec(SourceLocation Location, Template Url, string Method, IReadOnlyList<KeyValuePair<string, Template>> Headers, ContentSpec? Body) : ActionSpec(Location)
{
    public override ActionKind Kind => ActionKind.Webhook;
}

internal sealed record EmailSpec(SourceLocation Location, IReadOnlyList<Template> To, bool ToIsList, Template Subject, Template Body) : ActionSpec(Location)
{
    public override ActionKind Kind => ActionKind.Email;
}

/// <summary>
/// A notify action: the notifier's own action (its first channel), rendered with <c>message</c> set;
/// the channels after it in order of preference, and how the notifier holds alerts back (null: it does not).
/// </summary>
internal sealed record NotifySpec(SourceLocation Location, string Notifier, Template Message, ActionSpec Target) : ActionSpec(Location)
{
    public override ActionKind Kind => ActionKind.Notify;

    public IReadOnlyList<ActionSpec> Fallbacks { get; init; } = [];

    public NotifierPolicy? Policy { get; init; }

    /// <summary>Every channel, in order of preference.</summary>
    public IEnumerable<ActionSpec> Channels => Fallbacks.Prepend(Target);
}

internal sealed record LogSpec(SourceLocation Location, Template Message, string Level) : ActionSpec(Location)
{
    public override ActionKind Kind => ActionKind.Log;
}

/// <summary>A Mastodon status: <c>mastodon: "text"</c> or <c>{status, visibility, spoiler_text}</c>.</summary>
internal sealed record MastodonSpec(SourceLocation Location, Template Status, string? Visibility, Template? SpoilerText) : ActionSpec(Location)
{
    public override ActionKind Kind => ActionKind.Mastodon;
}

/// <summary>An ntfy message to <see cref="Topic"/>; <see cref="Priority"/> 1 (min) to 5 (max), null: the server's default.</summary>
internal sealed record NtfySpec(SourceLocation Location, Template Topic, Template Message, Template? Title, int? Priority, IReadOnlyList<Template> Tags, Template? Click) : ActionSpec(Location)
{
    public override ActionKind Kind => ActionKind.Ntfy;
}

/// <summary>A Telegram message; <see cref="ChatId"/> null: <c>TELEGRAM_CHAT_ID</c>.</summary>
internal sealed record TelegramSpec(SourceLocation Location, Template Text, Template? ChatId) : ActionSpec(Location)
{
    public override ActionKind Kind => ActionKind.Telegram;
}

/// <summary>A Slack incoming-webhook message; <see cref="Url"/> null: <c>SLACK_WEBHOOK_URL</c>.</summary>
internal sealed record SlackSpec(SourceLocation Location, Template Text, Template? Url) : ActionSpec(Location)
{
    public override ActionKind Kind => ActionKind.Slack;
}

/// <summary>A Discord webhook message; <see cref="Url"/> null: <c>DISCORD_WEBHOOK_URL</c>.</summary>
internal sealed record DiscordSpec(SourceLocation Location, Template Content, Template? Username, Template? Url) : ActionSpec(Location)
{
    public override ActionKind Kind => ActionKind.Discord;
}
