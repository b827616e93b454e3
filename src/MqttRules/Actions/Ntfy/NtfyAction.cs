using System.Text.Json;
using MqttRules.Expressions;
using MqttRules.Rules;

namespace MqttRules.Actions.Ntfy;

/// <summary>An ntfy message to <see cref="Topic"/> on the server of <c>NTFY_URL</c>.</summary>
internal sealed record NtfyAction : ExternalAction
{
    /// <summary>Priority names ntfy accepts, by number (1 min … 5 max; "urgent" is 5 too).</summary>
    public static readonly IReadOnlyDictionary<string, int> Priorities = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["min"] = 1, ["low"] = 2, ["default"] = 3, ["high"] = 4, ["max"] = 5, ["urgent"] = 5,
    };

    protected override ActionKind OwnKind => ActionKind.Ntfy;

    public string Topic { get; init; } = "";
    public string Message { get; init; } = "";
    public string? Title { get; init; }
    public int? Priority { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? Click { get; init; }

    public override void WriteFields(Utf8JsonWriter writer)
    {
        writer.WriteString("topic", Topic);
        writer.WriteString("title", Title);
        writer.WriteString("body", Message); // not "message": a notify's own message follows under that name
        if (Priority is { } p)
        {
            writer.WriteNumber("priority", p);
        }
        else
        {
            writer.WriteNull("priority");
        }

        writer.WriteStartArray("tags");
        foreach (var tag in Tags)
        {
            writer.WriteStringValue(tag);
        }

        writer.WriteEndArray();
        writer.WriteString("click", Click);
    }

    public override string Describe() => $"ntfy {Topic}: {ActionText.Quote(Title is null ? Message : $"{Title}: {Message}")}";

    /// <summary>Why <paramref name="topic"/> is not an ntfy topic (1 to 64 of A-Z, a-z, 0-9, _ and -), or null.</summary>
    public static string? TopicProblem(string topic) =>
        topic.Length is >= 1 and <= 64 && topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? null
            : "an ntfy topic is 1 to 64 letters, digits, '_' or '-'";

    internal static NtfyAction Render(NtfySpec spec, EvalContext ctx, ActionOrigin origin)
    {
        var topic = spec.Topic.Render(ctx, out _);
        if (TopicProblem(topic) is { } problem)
        {
            throw new ActionRenderException($"ntfy topic '{spec.Topic.Source}' rendered to '{topic}': {problem}");
        }

        return new NtfyAction
        {
            Origin = origin,
            Topic = topic,
            Message = spec.Message.Render(ctx, out _),
            Title = spec.Title?.Render(ctx, out _),
            Priority = spec.Priority,
            Tags = spec.Tags.SelectMany(t => t.Render(ctx, out _).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray(),
            Click = spec.Click?.Render(ctx, HoleEncoding.Url, out _),
        };
    }
}
