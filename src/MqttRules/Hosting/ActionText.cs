using MqttRules.Actions;

namespace MqttRules.Hosting;

/// <summary>One readable line per action for the live log: the story of what the rules did.</summary>
public static class ActionText
{
    public static string Event(RenderedAction a)
    {
        var what = a.Event switch
        {
            RuleEvent.Fire => "fired",
            RuleEvent.Resolve => "resolved",
            RuleEvent.Repeat => "still firing",
            RuleEvent.Message => "matched",
            _ => "ran on schedule",
        };
        return a.Series is null ? $"{a.RuleId} {what}" : $"{a.RuleId} {what} for {a.Series}";
    }

    public static string Describe(RenderedAction a) => a.Kind switch
    {
        Rules.ActionKind.Publish => $"publish {a.Topic} {Quote(a.Payload)} (qos {a.Qos}{(a.Retain ? ", retained" : "")})",
        Rules.ActionKind.Tweet => $"tweet {Quote(a.Text)}",
        Rules.ActionKind.Webhook => $"webhook {a.Method} {Diagnostics.Redaction.Current.Url(a.Url)}",
        Rules.ActionKind.Email => $"e-mail to {string.Join(", ", a.To)}: {Quote(a.Subject)}",
        _ => $"log {Quote(a.Message)}",
    } + (a.Notifier is null ? "" : $" (notifier {a.Notifier})");

    private static string Quote(string? s)
    {
        if (s is null)
        {
            return "\"\"";
        }

        var shown = s.Length > 200 ? s[..200] + "…" : s;
        return "\"" + shown.Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
    }
}
