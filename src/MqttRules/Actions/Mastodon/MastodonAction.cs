using System.Text.Json;
using MqttRules.Expressions;
using MqttRules.Rules;

namespace MqttRules.Actions.Mastodon;

/// <summary>A Mastodon status; <see cref="Status"/> as rendered, shortened only when it is sent (or printed).</summary>
internal sealed record MastodonAction : ExternalAction
{
    /// <summary>Mastodon's default limit, counted over the status and its content warning together.</summary>
    public const int MaxLength = 500;

    public static readonly string[] Visibilities = ["public", "unlisted", "private", "direct"];

    protected override ActionKind OwnKind => ActionKind.Mastodon;

    public string Status { get; init; } = "";
    public string? Visibility { get; init; }
    public string? SpoilerText { get; init; }

    public override string MissingSetup() => "MASTODON_BASE_URL and MASTODON_ACCESS_TOKEN are not configured";

    /// <summary>The status as it is sent: with the content warning, at most 500 characters as Mastodon counts them.</summary>
    public string ShortStatus() =>
        TextLimit.Shorten(Status, Math.Max(1, MaxLength - TextLimit.Length(SpoilerText ?? "", TextLimit.Measure.Mastodon)), TextLimit.Measure.Mastodon);

    public override void WriteFields(Utf8JsonWriter writer)
    {
        writer.WriteString("status", ShortStatus());
        writer.WriteString("visibility", Visibility);
        writer.WriteString("spoiler_text", SpoilerText);
    }

    public override string Describe() => $"mastodon {ActionText.Quote(Status)}";

    internal static MastodonAction Render(MastodonSpec spec, EvalContext ctx, ActionOrigin origin) => new()
    {
        Origin = origin,
        Status = spec.Status.Render(ctx, out _),
        Visibility = spec.Visibility,
        SpoilerText = spec.SpoilerText?.Render(ctx, out _),
    };
}
