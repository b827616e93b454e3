using MqttRules.Rules;
using System.Text.Json;
using System.Text.Json.Serialization;
using MqttRules.Actions;

namespace MqttRules.Outbox;

/// <summary>One stored external action awaiting delivery.</summary>
public sealed record OutboxRow(long Seq, string Id, string Kind, string Lane, string ActionJson, int Attempts)
{
    public RenderedAction? Action() => JsonSerializer.Deserialize(ActionJson, OutboxJson.Default.RenderedAction);

    public static string Serialize(RenderedAction action) => JsonSerializer.Serialize(action, OutboxJson.Default.RenderedAction);

    /// <summary>The delivery queue of an action: one per kind, webhooks one per host, so a dead endpoint delays only itself.</summary>
    public static string LaneOf(RenderedAction action) => action.Kind switch
    {
        ActionKind.Webhook => Uri.TryCreate(action.Url, UriKind.Absolute, out var u) ? $"webhook:{u.Host.ToLowerInvariant()}:{u.Port}" : "webhook:invalid",
        _ => RenderedAction.KindName(action.Kind),
    };
}

[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RenderedAction))]
internal sealed partial class OutboxJson : JsonSerializerContext;
