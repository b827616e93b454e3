using System.Text;
using System.Text.RegularExpressions;

namespace MqttRules.Diagnostics;

/// <summary>
/// Hides credentials in URLs before text leaves the process (logs, dry-run lines, replay output,
/// validate messages): the password of <c>user:password@</c> and the values of query parameters
/// whose names are secret-like (<see cref="DefaultParameters"/>, plus those named in
/// <c>MQTTRULES_REDACT_PARAMS</c>). Only the text shown is changed, never what is sent.
/// </summary>
public sealed partial class Redaction
{
    public const string Mask = "***";

    /// <summary>Query parameter names redacted by default (compared case-insensitively).</summary>
    public static readonly IReadOnlyList<string> DefaultParameters =
    [
        "token", "access_token", "refresh_token", "id_token", "auth", "key", "api_key", "apikey", "api-key",
        "secret", "client_secret", "sig", "signature", "password", "passwd", "pwd",
    ];

    private readonly HashSet<string> parameters;

    public Redaction(IEnumerable<string>? extraParameters = null) =>
        parameters = new HashSet<string>(DefaultParameters.Concat(extraParameters ?? []), StringComparer.OrdinalIgnoreCase);

    /// <summary>The process-wide redaction (the CLI adds <c>MQTTRULES_REDACT_PARAMS</c> at start-up).</summary>
    public static Redaction Current { get; set; } = new();

    /// <summary>A redaction with the defaults and the comma-separated names in <paramref name="list"/>.</summary>
    public static Redaction WithExtra(string? list) =>
        new((list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Every URL inside <paramref name="text"/> redacted; the rest unchanged.</summary>
    public string Text(string? text) =>
        string.IsNullOrEmpty(text) || !text.Contains("://", StringComparison.Ordinal) ? text ?? "" : UrlPattern().Replace(text, m => Url(m.Value));

    /// <summary>One URL with its password and secret query values replaced by <see cref="Mask"/>.</summary>
    public string Url(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return url ?? "";
        }

        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var authorityStart = scheme < 0 ? 0 : scheme + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        authorityEnd = authorityEnd < 0 ? url.Length : authorityEnd;
        var result = new StringBuilder(url.Length);
        result.Append(url, 0, authorityStart);
        var authority = url[authorityStart..authorityEnd];
        var at = authority.LastIndexOf('@');
        var colon = at < 0 ? -1 : authority.IndexOf(':', StringComparison.Ordinal);
        result.Append(colon >= 0 && colon < at ? authority[..(colon + 1)] + Mask + authority[at..] : authority);

        var rest = url[authorityEnd..];
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return result.Append(rest).ToString();
        }

        var fragment = rest.IndexOf('#', query);
        var queryEnd = fragment < 0 ? rest.Length : fragment;
        result.Append(rest, 0, query + 1);
        // Separators kept as written ('&', or '\u0026' inside JSON text).
        result.Append(string.Concat(Separator().Split(rest[(query + 1)..queryEnd]).Select(Parameter)));
        return result.Append(rest[queryEnd..]).ToString();
    }

    private string Parameter(string pair)
    {
        var eq = pair.IndexOf('=', StringComparison.Ordinal);
        if (eq < 0)
        {
            return pair;
        }

        string name;
        try
        {
            name = Uri.UnescapeDataString(pair[..eq]);
        }
        catch (UriFormatException)
        {
            name = pair[..eq];
        }

        return parameters.Contains(name) ? pair[..(eq + 1)] + Mask : pair;
    }

    [GeneratedRegex(@"(&|\\u0026)", RegexOptions.CultureInvariant)]
    private static partial Regex Separator();

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9+.\-]*://[^\s""'<>`]+", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();
}
