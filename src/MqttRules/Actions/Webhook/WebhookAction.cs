using System.Text.Json;
using MqttRules.Rules;

namespace MqttRules.Actions.Webhook;

/// <summary>An HTTP request; a <see cref="BodyIsJson"/> body is sent as <c>application/json</c>, other text as <c>text/plain</c>.</summary>
internal sealed record WebhookAction : ExternalAction
{
    protected override ActionKind OwnKind => ActionKind.Webhook;

    public string Url { get; init; } = "";
    public string Method { get; init; } = "POST";
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
    public string? Body { get; init; }
    public bool BodyIsJson { get; init; }

    /// <summary>One lane per host and port, so a dead endpoint delays only itself.</summary>
    public override string DeliveryLane() => Uri.TryCreate(Url, UriKind.Absolute, out var u) ? $"webhook:{u.Host.ToLowerInvariant()}:{u.Port}" : "webhook:invalid";

    public override void WriteFields(Utf8JsonWriter writer)
    {
        writer.WriteString("url", Diagnostics.Redaction.Current.Url(Url)); // credentials shown redacted, as in every output
        writer.WriteString("method", Method);
        if (Body is null)
        {
            writer.WriteNull("body");
        }
        else if (BodyIsJson)
        {
            writer.WritePropertyName("body");
            writer.WriteRawValue(Body);
        }
        else
        {
            writer.WriteString("body", Body);
        }
    }

    public override string Describe() => $"webhook {Method} {Diagnostics.Redaction.Current.Url(Url)}";
}
