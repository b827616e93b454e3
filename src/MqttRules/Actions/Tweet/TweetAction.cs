using System.Text.Json;
using MqttRules.Expressions;
using MqttRules.Rules;

namespace MqttRules.Actions.Tweet;

/// <summary>A post to X; <see cref="Text"/> as rendered, shortened only when it is sent (or printed).</summary>
internal sealed record TweetAction : ExternalAction
{
    protected override ActionKind OwnKind => ActionKind.Tweet;

    public string Text { get; init; } = "";

    public override string MissingSetup() => "X credentials are not configured";

    public override void WriteFields(Utf8JsonWriter writer) => writer.WriteString("text", TweetText.Shorten(Text)); // as it would be sent

    public override string Describe() => $"tweet {ActionText.Quote(Text)}";

    internal static TweetAction Render(TweetSpec spec, EvalContext ctx, ActionOrigin origin) =>
        new() { Origin = origin, Text = spec.Text.Render(ctx, out _) };
}
