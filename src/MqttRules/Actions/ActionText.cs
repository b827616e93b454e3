namespace MqttRules.Actions;

/// <summary>One readable line per action for the live log: the story of what the rules did.</summary>
internal static class ActionText
{
    public static string Event(RenderedAction a)
    {
        var what = a.Event switch
        {
            RuleEvent.Fire => "fired",
            RuleEvent.Resolve => "resolved",
            RuleEvent.Repeat => "still firing",
            RuleEvent.Message => "matched",
            RuleEvent.Digest => "grouped in a digest",
            _ => "ran on schedule",
        };
        return a.Series is null ? $"{a.RuleId} {what}" : $"{a.RuleId} {what} for {a.Series}";
    }

    public static string Describe(RenderedAction a) => a.Describe() + (a.Notifier is null ? "" : $" (notifier {a.Notifier})");

    /// <summary>A text in quotes, cut after 200 characters, line breaks shown as <c>\n</c>.</summary>
    public static string Quote(string? s)
    {
        if (s is null)
        {
            return "\"\"";
        }

        var shown = s.Length > 200 ? s[..200] + "…" : s;
        return "\"" + shown.Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
    }
}
