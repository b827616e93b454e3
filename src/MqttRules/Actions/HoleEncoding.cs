using System.Globalization;
using System.Text;

namespace MqttRules.Actions;

/// <summary>
/// How a template hole's value is inserted where it could change the meaning of the text around it.
/// Values are data: they are encoded so that they cannot add topic levels, URL parts or headers.
/// A rule that wants a value inserted as it is writes <c>{{{ expression }}}</c>.
/// </summary>
internal static class HoleEncoding
{
    /// <summary>
    /// In a publish topic, <c>/</c> becomes <c>_</c>: a value stays one topic level. (A value with
    /// <c>+</c> or <c>#</c> makes the topic invalid and the action an error, as with any wildcard.)
    /// </summary>
    public static string Topic(StringBuilder before, string value) => value.Replace('/', '_');

    /// <summary>
    /// In a webhook URL, a value after <c>scheme://</c> is percent-encoded as a URL component (path
    /// segment, query name or value, fragment: <c>x?admin=1</c> becomes <c>x%3Fadmin%3D1</c>); in the
    /// host part a <c>:</c> stays, for <c>host:port</c>. A hole before <c>://</c> is the start of the
    /// URL itself and is inserted as it is, then checked as a URL.
    /// </summary>
    public static string Url(StringBuilder before, string value)
    {
        var text = before.ToString();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return value;
        }

        var encoded = Uri.EscapeDataString(value);
        var inHost = text.AsSpan(scheme + 3).IndexOfAny("/?#") < 0;
        return inHost ? encoded.Replace("%3A", ":", StringComparison.Ordinal) : encoded;
    }

    /// <summary>
    /// The first path segment of <paramref name="url"/> that is <c>.</c> or <c>..</c> (also written
    /// <c>%2E</c>), or null. .NET's <see cref="Uri"/> unescapes <c>%2E</c> and removes such segments,
    /// so <c>/api/%2E%2E/x</c> would be sent as <c>/x</c>: no encoding of a hole's value keeps it data.
    /// </summary>
    public static string? DotSegment(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var rest = scheme < 0 ? url : url[(scheme + 3)..];
        var end = rest.IndexOfAny(['?', '#']);
        var path = end < 0 ? rest : rest[..end];
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return null;
        }

        foreach (var segment in path[(slash + 1)..].Split('/'))
        {
            var decoded = segment.Replace("%2E", ".", StringComparison.OrdinalIgnoreCase);
            if (decoded is "." or "..")
            {
                return decoded;
            }
        }

        return null;
    }

    /// <summary>
    /// In a header value, characters outside ASCII are percent-encoded as UTF-8 (<c>Zürich</c> becomes
    /// <c>Z%C3%BCrich</c>), as HTTP header values are ASCII. Control characters are left for the
    /// webhook to refuse (dead letter): there is no faithful way to send them.
    /// </summary>
    public static string Header(StringBuilder before, string value)
    {
        if (Ascii.IsValid(value))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 16);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.IsAscii)
            {
                sb.Append((char)rune.Value);
                continue;
            }

            var n = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..n])
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Why a rendered topic cannot be published, or null. Beyond the MQTT rules (not empty, no
    /// <c>+</c>/<c>#</c>/NUL, at most 65535 bytes) it refuses what brokers drop the connection for:
    /// control characters (U+0001–U+001F, U+007F–U+009F), lone surrogates and Unicode non-characters.
    /// </summary>
    public static string? TopicProblem(string topic)
    {
        if (Topics.TopicFilters.CheckTopicName(topic) is { } problem)
        {
            return problem;
        }

        for (var i = 0; i < topic.Length; i++)
        {
            var c = topic[i];
            if (char.IsHighSurrogate(c) && i + 1 < topic.Length && char.IsLowSurrogate(topic[i + 1]))
            {
                var cp = char.ConvertToUtf32(c, topic[++i]);
                if ((cp & 0xFFFE) == 0xFFFE)
                {
                    return $"the topic contains the non-character U+{cp:X} at position {i - 1}";
                }

                continue;
            }

            var why = c switch
            {
                < '\u0020' or (>= '\u007F' and <= '\u009F') => "a control character",
                _ when char.IsSurrogate(c) => "a lone surrogate (not valid UTF-8)",
                (>= '\uFDD0' and <= '\uFDEF') or '\uFFFE' or '\uFFFF' => "a Unicode non-character",
                _ => null,
            };
            if (why is not null)
            {
                return $"the topic contains {why} (U+{(int)c:X4}) at position {i}";
            }
        }

        return null;
    }
}
