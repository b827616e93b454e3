using System.Text.Json;
using System.Text.Json.Serialization;
using MqttRules.Rules;

namespace MqttRules.Actions;

/// <summary>Why actions ran; stored by number, so new events go at the end.</summary>
public enum RuleEvent { Fire, Resolve, Repeat, Message, Schedule, Digest, Retry, Unconfirmed }

/// <summary>
/// Where and why an action was rendered: the part every kind of action shares. <see cref="Index"/>, the
/// action's position in its rule's list, makes the action's id its idempotency key (derived from the
/// origin when first read); null: a unique id is drawn.
/// </summary>
public readonly record struct ActionOrigin(DateTimeOffset Time, string RuleId, RuleEvent Event, string? Series, int? Index = null);

/// <summary>
/// An action with every template filled in: a plain value that <c>replay</c> prints and <c>run</c>
/// executes. One record per kind derives from it (<c>Actions/&lt;Kind&gt;/</c>); <see cref="Kind"/> is
/// the action actually run (a notify is rendered as its notifier's action, with <see cref="Notifier"/> set).
/// The stored form (outbox, dead letters) names each kind in the list below: a new kind adds its line.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Publish.PublishAction), "publish")]
[JsonDerivedType(typeof(Tweet.TweetAction), "tweet")]
[JsonDerivedType(typeof(Webhook.WebhookAction), "webhook")]
[JsonDerivedType(typeof(Email.EmailAction), "email")]
[JsonDerivedType(typeof(Log.LogAction), "log")]
[JsonDerivedType(typeof(Mastodon.MastodonAction), "mastodon")]
[JsonDerivedType(typeof(Ntfy.NtfyAction), "ntfy")]
[JsonDerivedType(typeof(Telegram.TelegramAction), "telegram")]
[JsonDerivedType(typeof(Slack.SlackAction), "slack")]
[JsonDerivedType(typeof(Discord.DiscordAction), "discord")]
public abstract record RenderedAction
{
    private string? id;
    private int? keyIndex;

    public DateTimeOffset Time { get; init; }
    public string RuleId { get; init; } = "";
    public RuleEvent Event { get; init; }
    public string? Series { get; init; }

    /// <summary>Time, rule, event and series at once (how the renderer of each kind sets them).</summary>
    [JsonIgnore]
    public ActionOrigin Origin
    {
        get => new(Time, RuleId, Event, Series, keyIndex);
        init => (Time, RuleId, Event, Series, keyIndex) = value;
    }

    [JsonIgnore]
    public ActionKind Kind => OwnKind;

    /// <summary>The notifier a <c>notify</c> action ran, or null.</summary>
    public string? Notifier { get; init; }

    /// <summary>A notify's <c>message</c>, kept with the notifier's action unless that is a log (whose message it is).</summary>
    public string? NotifyMessage { get; init; }

    /// <summary>
    /// The notifier's other channels, in order of preference, rendered for the same alert: the next one
    /// gets it when this one fails for good or is over its budget (null: there is none).
    /// </summary>
    public RenderedAction[]? Fallbacks { get; init; }

    /// <summary>The first of <see cref="Fallbacks"/> carrying the rest, keyed after this action (the same key every time); null when there is none.</summary>
    public RenderedAction? NextChannel() => Fallbacks is [var next, .. var rest]
        ? next with { Id = $"{Id}+{next.KindText}", Fallbacks = rest.Length == 0 ? null : rest }
        : null;

    /// <summary>
    /// Unique per action; the idempotency key of external deliveries. Unless set, made on first use:
    /// derived from the origin when it has an <see cref="ActionOrigin.Index"/> (the same event always
    /// gives the same key), else drawn. A publish the broker confirms at once never needs one.
    /// </summary>
    public string Id
    {
        get
        {
            if (id is null)
            {
                Interlocked.CompareExchange(ref id, keyIndex is { } i ? ActionIds.Derive(RuleId, Series, Event, Time, i) : UniqueIds.Next(), null);
            }

            return id;
        }

        init => id = value;
    }

    /// <summary>The kind of the record (not stored: the stored form names it by its type).</summary>
    protected abstract ActionKind OwnKind { get; }

    /// <summary>The kind's own fields of the replay line (SPEC §4), in their fixed order.</summary>
    public abstract void WriteFields(Utf8JsonWriter writer);

    /// <summary>This action as run by the notifier <paramref name="notifier"/> of a notify with <paramref name="message"/>.</summary>
    public virtual RenderedAction ViaNotifier(string notifier, string message) => this with { Notifier = notifier, NotifyMessage = message };

    /// <summary>The action in one line of the live log, e.g. <c>publish a/b "on" (qos 1)</c>.</summary>
    public abstract string Describe();

    public static string EventName(RuleEvent e) => e switch
    {
        RuleEvent.Fire => "fire",
        RuleEvent.Resolve => "resolve",
        RuleEvent.Repeat => "repeat",
        RuleEvent.Message => "message",
        RuleEvent.Digest => "digest",
        RuleEvent.Retry => "retry",
        RuleEvent.Unconfirmed => "unconfirmed",
        _ => "schedule",
    };

    public static string KindName(ActionKind k) => k switch
    {
        ActionKind.Publish => "publish",
        ActionKind.Tweet => "tweet",
        ActionKind.Webhook => "webhook",
        ActionKind.Email => "email",
        ActionKind.Notify => "notify",
        ActionKind.Mastodon => "mastodon",
        ActionKind.Ntfy => "ntfy",
        ActionKind.Telegram => "telegram",
        ActionKind.Slack => "slack",
        ActionKind.Discord => "discord",
        _ => "log",
    };

    /// <summary>The kind as rules, replay and metrics name it.</summary>
    [JsonIgnore]
    public string KindText => KindName(Kind);
}
