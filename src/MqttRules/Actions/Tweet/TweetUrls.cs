using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace MqttRules.Actions.Tweet;

/// <summary>
/// The URLs X counts as 23 each: twitter-text 3's URL extraction (with or without <c>http(s)://</c>),
/// reimplemented from its published rules. A host must end in a known TLD (the list twitter-text
/// ships, in <c>Data/twitter-tlds.txt</c>), every label must fit IDNA (at most 63 characters once
/// punycoded, 253 for the host) and the URL at most 4096 characters; text that only looks like a URL
/// is not one and weighs its characters.
/// </summary>
internal static class TweetUrls
{
    private const int MaxUrlLength = 4096;
    private const int MaxTcoSlugLength = 40;
    private const int ProtocolLength = 8;   // "https://"

    private const string LatinAccents = @"\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff";
    private const string Cyrillic = @"\u0400-\u04ff";
    private const string Invalid = @"\uFFFE\uFEFF\uFFFF";
    private const string Directional = @"\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069";
    private const string Preceding = "(?:[^a-z0-9@＠$#＃" + Invalid + "]|[" + Directional + "]|^)";
    private const string ValidChars = "[a-z0-9" + LatinAccents + "]";
    private const string Subdomain = "(?>(?:" + ValidChars + "[" + "a-z0-9" + LatinAccents + @"\-_]*)?" + ValidChars + @"\.)";
    private const string DomainName = "(?:(?:" + ValidChars + "[a-z0-9" + LatinAccents + @"\-]*)?" + ValidChars + @"\.)";

    // Java's \s (ASCII only) spelled out, as .NET's \s is Unicode.
    private const string UnicodeChars = @"[^-_!""#$%&'\(\)*+,./:;<=>?@\[\]^`\{|}~ \t\n\x0B\f\r\p{Z}\p{IsGeneralPunctuation}]";
    private const string UnicodeDomainName = "(?:(?:" + UnicodeChars + "(?:" + UnicodeChars + @"|\-)*)?" + UnicodeChars + @"\.)";
    private const string Punycode = "(?:xn--[-0-9a-z]+)";
    private const string GeneralPathChars = @"[a-z0-9!\*';:=\+,.\$/%#\[\]\-\u2013_~\|&@" + LatinAccents + Cyrillic + "]";
    private const string BalancedParens = @"\((?:" + GeneralPathChars + "+|(?:" + GeneralPathChars + @"*\(" + GeneralPathChars + @"+\)" + GeneralPathChars + @"*))\)";
    private const string PathEnding = @"[a-z0-9=_#/\-\+" + LatinAccents + Cyrillic + "]|(?:" + BalancedParens + ")";
    private const string Path = "(?:(?:" + GeneralPathChars + "*(?:" + BalancedParens + GeneralPathChars + "*)*(?:" + PathEnding + "))|(?:@" + GeneralPathChars + "+/))";
    private const string QueryChars = @"[a-z0-9!?\*'\(\);:&=\+\$/%#\[\]\-_\.,~\|@]";
    private const string QueryEnding = @"[a-z0-9\-_&=#/]";

    private static readonly Regex UrlPattern = Build();
    private static readonly Regex Tco = new(@"^https?://t\.co/([a-z0-9]+)(?:\?" + QueryChars + "*" + QueryEnding + ")?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static readonly IdnMapping Idn = new() { AllowUnassigned = true, UseStd3AsciiRules = false };

    /// <summary>The URLs of <paramref name="text"/> (already NFC), as start index and length, in order.</summary>
    public static IReadOnlyList<(int Start, int Length)> Find(string text)
    {
        if (!text.Contains('.', StringComparison.Ordinal))
        {
            return [];
        }

        var found = new List<(int, int)>();
        try
        {
            foreach (Match m in UrlPattern.Matches(text))
            {
                var protocol = m.Groups["protocol"];
                if (!protocol.Success && m.Groups["before"].Value is [.., '-' or '_' or '.' or '/'])
                {
                    continue;
                }

                var url = m.Groups["url"];
                var length = url.Length;
                var tco = Tco.Match(url.Value);
                if (tco.Success)
                {
                    if (tco.Groups[1].Length > MaxTcoSlugLength)
                    {
                        continue;
                    }

                    length = tco.Length;
                }

                if (IsValidHostAndLength(length, protocol.Success, m.Groups["domain"].Value))
                {
                    found.Add((url.Index, length));
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // Pathological text: count what was found so far; the rest weighs its characters.
        }

        return found;
    }

    private static bool IsValidHostAndLength(int urlLength, bool hasProtocol, string host)
    {
        string ascii;
        try
        {
            ascii = Idn.GetAscii(host);
        }
        catch (ArgumentException)
        {
            return false;
        }

        var length = urlLength + ascii.Length - host.Length + (hasProtocol ? 0 : ProtocolLength);
        return ascii.Length > 0 && length <= MaxUrlLength;
    }

    private static Regex Build()
    {
        var (generic, country) = LoadTlds();
        const string tldEnd = "(?=[^a-z0-9@+-]|$)";
        var gtld = "(?:(?:" + generic + ")" + tldEnd + ")";
        var cctld = "(?:(?:" + country + ")" + tldEnd + ")";
        var domain =
            "(?:" + Subdomain + "*" + DomainName + "(?:" + gtld + "|" + cctld + "|" + Punycode + "))"
            + "|(?:(?<=https?://)(?:(?:" + DomainName + cctld + ")|(?:" + UnicodeDomainName + "(?:" + gtld + "|" + cctld + "))))"
            + "|(?:" + DomainName + cctld + "(?=/))";
        var pattern =
            "(?<before>" + Preceding + ")"
            + "(?<url>(?<protocol>https?://)?"
            + "(?<domain>" + domain + ")"
            + "(?::(?>[0-9]+))?"
            + "(?:/(?>" + Path + "*))?"
            + @"(?:\?" + QueryChars + "*" + QueryEnding + ")?)";
        return new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1));
    }

    /// <summary>The generic and country TLDs as regex alternations, from the embedded list.</summary>
    private static (string Generic, string Country) LoadTlds()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("MqttRules.Actions.Tweet.twitter-tlds.txt")
            ?? throw new InvalidOperationException("the TLD list is missing from the build");
        using var reader = new StreamReader(stream);
        var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line[0] == '[')
            {
                current = sections[line.Trim('[', ']')] = [];
                continue;
            }

            current?.Add(Regex.Escape(line));
        }

        return (string.Join('|', sections["generic"]), string.Join('|', sections["country"]));
    }
}
