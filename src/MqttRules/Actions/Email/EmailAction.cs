using System.Text.Json;
using MqttRules.Expressions;
using MqttRules.Rules;

namespace MqttRules.Actions.Email;

/// <summary>An e-mail; <see cref="ToIsList"/> keeps the shape the rule used for <c>to</c> (replay prints it so).</summary>
internal sealed record EmailAction : ExternalAction
{
    protected override ActionKind OwnKind => ActionKind.Email;

    public IReadOnlyList<string> To { get; init; } = [];
    public bool ToIsList { get; init; }
    public string? Subject { get; init; }
    public string Body { get; init; } = "";

    public override string MissingSetup() => "SMTP_URL is not configured";

    public override void WriteFields(Utf8JsonWriter writer)
    {
        if (ToIsList)
        {
            writer.WriteStartArray("to");
            foreach (var to in To)
            {
                writer.WriteStringValue(to);
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteString("to", To.Count > 0 ? To[0] : "");
        }

        writer.WriteString("subject", Subject);
        writer.WriteString("body", Body);
    }

    public override string Describe() => $"e-mail to {string.Join(", ", To)}: {ActionText.Quote(Subject)}";

    internal static EmailAction Render(EmailSpec spec, EvalContext ctx, ActionOrigin origin) => new()
    {
        Origin = origin,
        To = spec.To.Select(t => t.Render(ctx, out _)).ToArray(),
        ToIsList = spec.ToIsList,
        Subject = spec.Subject.Render(ctx, out _),
        Body = spec.Body.Render(ctx, out _),
    };
}
