using System.Text.Json;
using System.Text.Json.Serialization;
using MqttRules.Actions;

namespace MqttRules.Outbox;

/// <summary>
/// The stored form of an action (outbox and dead letters): <c>{"v":2,"action":{"type":"webhook",…}}</c>.
/// Rows without <c>v</c> were written before actions had a type per kind (the flat form, version 1)
/// and are read by <see cref="LegacyAction"/>, so what an older version left undelivered still goes out.
/// A row of a newer version than this one cannot be read (it is dead-lettered, not guessed at).
/// </summary>
internal static class OutboxJson
{
    public const int Version = 2;

    public static string Write(RenderedAction action) =>
        JsonSerializer.Serialize(new OutboxEnvelope(Version, action), OutboxJsonContext.Default.OutboxEnvelope);

    /// <summary>The action a row holds, or null when it cannot be read.</summary>
    public static RenderedAction? Read(string json)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize(json, OutboxJsonContext.Default.OutboxEnvelope);
            return envelope switch
            {
                { V: Version } => envelope.Action,
                { V: 0 } => JsonSerializer.Deserialize(json, LegacyJsonContext.Default.LegacyAction)?.ToAction(),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }
}

/// <summary>A stored action with the version of its form.</summary>
internal sealed record OutboxEnvelope(int V, RenderedAction? Action);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OutboxEnvelope))]
internal sealed partial class OutboxJsonContext : JsonSerializerContext;

/// <summary>Version 1 used .NET's default names (PascalCase, also inside header pairs: <c>{"Key":…,"Value":…}</c>).</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(LegacyAction))]
internal sealed partial class LegacyJsonContext : JsonSerializerContext;
