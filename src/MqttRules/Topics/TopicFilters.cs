using MqttRules.Rules;
using MqttRules.Values;

namespace MqttRules.Topics;

/// <summary>Parses and checks MQTT topic filters (with <c>{name}</c> captures) and topic names.</summary>
public static class TopicFilters
{
    /// <summary>The longest topic name or filter MQTT can carry, in UTF-8 bytes.</summary>
    public const int MaxBytes = 65535;

    /// <summary>Parses a rule's <c>topic:</c>; returns null and an error message when it is invalid.</summary>
    public static TopicFilter? TryParse(string source, out string? error)
    {
        error = null;
        if (source.Length == 0)
        {
            error = "the topic filter is empty";
            return null;
        }

        if (source.Contains('\0', StringComparison.Ordinal))
        {
            error = "the topic filter contains a NUL character";
            return null;
        }

        var levels = source.Split('/');
        var prefix = 0;
        if (levels[0] == "$share")
        {
            if (levels.Length < 3 || levels[1].Length == 0 || levels[1].AsSpan().IndexOfAny("+#{}") >= 0)
            {
                error = "a shared subscription is written '$share/<group>/<filter>'";
                return null;
            }

            prefix = 2;
        }

        var captures = new List<TopicCapture>();
        var subscription = new string[levels.Length];
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            subscription[i] = level;
            if (i < prefix)
            {
                continue;
            }

            if (level.Length > 2 && level[0] == '{' && level[^1] == '}')
            {
                var name = level[1..^1];
                if (!IsIdentifier(name))
                {
                    error = $"'{level}' is not a valid capture; a capture is a name in braces such as {{meter}}";
                    return null;
                }

                if (captures.Exists(c => c.Name == name))
                {
                    error = $"the capture {{{name}}} appears twice";
                    return null;
                }

                captures.Add(new TopicCapture(name, i - prefix));
                subscription[i] = "+";
                continue;
            }

            if (level == "#" && i != levels.Length - 1)
            {
                error = "'#' must be the last level of a topic filter";
                return null;
            }

            if (level.Length > 1 && level.AsSpan().IndexOfAny("+#") >= 0)
            {
                error = $"'{level}': '+' and '#' must stand alone in a level";
                return null;
            }

            if (level.AsSpan().IndexOfAny("{}") >= 0)
            {
                error = $"'{level}': a capture fills a whole level, such as home/{{meter}}/water";
                return null;
            }
        }

        var sub = string.Join('/', subscription);
        var bytes = System.Text.Encoding.UTF8.GetByteCount(sub);
        if (bytes > MaxBytes)
        {
            error = $"the topic filter is {bytes} bytes long; MQTT allows at most {MaxBytes}";
            return null;
        }

        var match = string.Join('/', subscription.Skip(prefix));
        return new TopicFilter(source, sub, match, captures);
    }

    /// <summary>The first levels of topics the engine publishes under: a topic name, not a <c>$</c> topic, not ending with '/'.</summary>
    public static string? CheckTopicPrefix(string prefix) =>
        CheckTopicName(prefix) ?? (prefix.StartsWith('$') || prefix.EndsWith('/') ? "must not start with '$' nor end with '/'" : null);

    /// <summary>A topic name for publishing: not empty, no wildcards, no NUL.</summary>
    public static string? CheckTopicName(string topic)
    {
        if (topic.Length == 0)
        {
            return "the topic is empty";
        }

        if (topic.AsSpan().IndexOfAny("+#\0") >= 0)
        {
            return $"'{topic.Replace("\0", "\\0", StringComparison.Ordinal)}' is not a valid topic name: it must not contain '+', '#' or NUL";
        }

        if (System.Text.Encoding.UTF8.GetByteCount(topic) > MaxBytes)
        {
            return $"the topic is longer than {MaxBytes} bytes";
        }

        return null;
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
