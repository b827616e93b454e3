namespace MqttRules.History;

/// <summary>MQTT filter matching for history topics (<c>+</c> one level, <c>#</c> the rest).</summary>
internal static class TopicMatch
{
    public static bool IsFilter(string topic) => topic.Contains('+') || topic.Contains('#');

    public static bool Matches(string filter, string topic)
    {
        var f = filter.Split('/');
        var t = topic.Split('/');
        if (t.Length > 0 && t[0].StartsWith('$') && f[0] is "+" or "#")
        {
            return false;
        }

        for (var i = 0; i < f.Length; i++)
        {
            if (f[i] == "#")
            {
                return true;
            }

            if (i >= t.Length || (f[i] != "+" && f[i] != t[i]))
            {
                return false;
            }
        }

        return f.Length == t.Length;
    }
}
