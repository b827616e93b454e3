using System.Text;

namespace MqttRules.Notifiers;

/// <summary>The text of a digest: one line per alert (its <c>message</c>), at most a cap of lines, then "… and N more".</summary>
internal static class Digest
{
    public static string Text(IReadOnlyList<HeldAlert> alerts, int maxLines)
    {
        var text = new StringBuilder();
        var shown = alerts.Count > maxLines ? maxLines : alerts.Count;
        for (var i = 0; i < shown; i++)
        {
            text.Append(i == 0 ? "" : "\n").Append(OneLine(alerts[i].Line));
        }

        if (alerts.Count > shown)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n… and {alerts.Count - shown} more");
        }

        return text.ToString();
    }

    /// <summary>The rules of the alerts, each once, in order of arrival, comma separated (the digest's <c>rule</c>).</summary>
    public static string Rules(IReadOnlyList<HeldAlert> alerts) => string.Join(",", alerts.Select(a => a.RuleId).Distinct(StringComparer.Ordinal));

    private static string OneLine(string line) => line.ReplaceLineEndings(" ");
}
