using System.Text.Json;
using MqttRules.Values;

namespace MqttRules.Expressions;

/// <summary>A YAML mapping or list used as a JSON body/payload, whose string leaves are templates.</summary>
internal abstract record JsonTemplateNode
{
    public abstract void Write(Utf8JsonWriter writer, EvalContext context, ref string? failed);
}

internal sealed record JsonObjectTemplate(IReadOnlyList<KeyValuePair<string, JsonTemplateNode>> Members) : JsonTemplateNode
{
    public override void Write(Utf8JsonWriter writer, EvalContext context, ref string? failed)
    {
        writer.WriteStartObject();
        foreach (var (key, node) in Members)
        {
            writer.WritePropertyName(key);
            node.Write(writer, context, ref failed);
        }

        writer.WriteEndObject();
    }
}

internal sealed record JsonArrayTemplate(IReadOnlyList<JsonTemplateNode> Items) : JsonTemplateNode
{
    public override void Write(Utf8JsonWriter writer, EvalContext context, ref string? failed)
    {
        writer.WriteStartArray();
        foreach (var item in Items)
        {
            item.Write(writer, context, ref failed);
        }

        writer.WriteEndArray();
    }
}

/// <summary>
/// A scalar: plain YAML numbers, booleans and null keep their JSON type; a value that is one
/// template hole and nothing else (<c>lpm: "{{value}}"</c>) keeps the type of what it evaluates
/// to (number, boolean, null, text), and becomes null when it cannot be evaluated; everything
/// else is a string template.
/// </summary>
internal sealed record JsonScalarTemplate(Template Template, bool Quoted) : JsonTemplateNode
{
    public override void Write(Utf8JsonWriter writer, EvalContext context, ref string? failed)
    {
        if (Template.IsSingleHole)
        {
            var v = Template.EvaluateSingle(context, out var hole);
            failed ??= hole;
            WriteTyped(writer, v);
            return;
        }

        var text = Template.Render(context, out var f);
        failed ??= f;
        if (!Quoted && Template.IsConstant)
        {
            switch (text)
            {
                case "true":
                    writer.WriteBooleanValue(true);
                    return;
                case "false":
                    writer.WriteBooleanValue(false);
                    return;
                case "null" or "~":
                    writer.WriteNullValue();
                    return;
            }

            if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) && double.IsFinite(n))
            {
                writer.WriteNumberValue(n);
                return;
            }
        }

        writer.WriteStringValue(text);
    }

    private static void WriteTyped(Utf8JsonWriter writer, Value v)
    {
        switch (v.Kind)
        {
            case ValueKind.Number when double.IsFinite(v.Number):
                writer.WriteNumberValue(v.Number);
                break;
            case ValueKind.Bool:
                writer.WriteBooleanValue(v.IsTrue);
                break;
            case ValueKind.Text:
                writer.WriteStringValue(v.Text);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
