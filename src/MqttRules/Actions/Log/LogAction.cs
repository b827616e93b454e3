using System.Text.Json;
using Microsoft.Extensions.Logging;
using MqttRules.Expressions;
using MqttRules.Rules;

namespace MqttRules.Actions.Log;

/// <summary>A line for the program's own log, at <see cref="Level"/> (debug, info, warning, error).</summary>
internal sealed record LogAction : RenderedAction
{
    protected override ActionKind OwnKind => ActionKind.Log;

    public string Message { get; init; } = "";

    public string Level { get; init; } = "info";

    /// <summary>The level as a <see cref="LogLevel"/>; anything unknown is Information.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public LogLevel LogLevel => Level.ToLowerInvariant() switch
    {
        "debug" => LogLevel.Debug,
        "warning" or "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => LogLevel.Information,
    };

    /// <summary>The notify's message is this log's own message, not kept twice.</summary>
    public override RenderedAction ViaNotifier(string notifier, string message) => this with { Notifier = notifier };

    public override void WriteFields(Utf8JsonWriter writer)
    {
        writer.WriteString("message", Message);
        writer.WriteString("level", Level);
    }

    public override string Describe() => $"log {ActionText.Quote(Message)}";

    internal static LogAction Render(LogSpec spec, EvalContext ctx, ActionOrigin origin) =>
        new() { Origin = origin, Message = spec.Message.Render(ctx, out _), Level = spec.Level };
}
