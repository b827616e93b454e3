using System.Text;
using System.Text.Json;
using MqttRules.Rules;

namespace MqttRules.Actions.Publish;

/// <summary>An MQTT message to publish; the payload is the UTF-8 bytes sent as they are.</summary>
internal sealed record PublishAction : RenderedAction
{
    protected override ActionKind OwnKind => ActionKind.Publish;

    public string Topic { get; init; } = "";

    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>The payload was rendered from a mapping: it is JSON (replay prints it as a JSON value).</summary>
    public bool PayloadIsJson { get; init; }

    public int Qos { get; init; }
    public bool Retain { get; init; }

    /// <summary>The payload as text (for logs and tests; invalid UTF-8 shows as U+FFFD).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string PayloadText => Encoding.UTF8.GetString(Payload.Span);

    public override void WriteFields(Utf8JsonWriter writer)
    {
        writer.WriteString("topic", Topic);
        if (PayloadIsJson)
        {
            writer.WritePropertyName("payload");
            writer.WriteRawValue(Payload.Span);
        }
        else
        {
            writer.WriteString("payload", Payload.Span);
        }

        writer.WriteNumber("qos", Qos);
        writer.WriteBoolean("retain", Retain);
    }

    public override string Describe() => $"publish {Topic} {ActionText.Quote(PayloadText)} (qos {Qos}{(Retain ? ", retained" : "")})";
}
