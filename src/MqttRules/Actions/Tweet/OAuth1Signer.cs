using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MqttRules.Actions.Tweet;

/// <summary>
/// OAuth 1.0a HMAC-SHA1 request signing (RFC 5849) as X documents it. Only <c>oauth_*</c>,
/// query-string and form parameters are signed; a JSON body is not.
/// </summary>
internal sealed class OAuth1Signer(XCredentials credentials)
{
    /// <summary>RFC 3986 percent-encoding: unreserved characters stay, everything else is %XX over UTF-8.</summary>
    public static string Encode(string value) => Uri.EscapeDataString(value);

    /// <summary>The signature base string: <c>METHOD&amp;enc(baseUrl)&amp;enc(sorted params)</c>.</summary>
    public static string BaseString(string method, Uri url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var baseUrl = $"{url.Scheme.ToLowerInvariant()}://{url.Host.ToLowerInvariant()}{(url.IsDefaultPort ? "" : ":" + url.Port.ToString(CultureInfo.InvariantCulture))}{url.AbsolutePath}";
        var encoded = parameters.Concat(QueryParameters(url))
            .Select(p => (Key: Encode(p.Key), Value: Encode(p.Value)))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value);
        return $"{method.ToUpperInvariant()}&{Encode(baseUrl)}&{Encode(string.Join('&', encoded))}";
    }

    /// <summary>Base64 HMAC-SHA1 of the base string, keyed with <c>enc(consumerSecret)&amp;enc(tokenSecret)</c>.</summary>
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "OAuth 1.0a, which the X API requires, signs with HMAC-SHA1")]
    public string Sign(string baseString)
    {
        var key = Encoding.ASCII.GetBytes(Encode(credentials.ConsumerSecret) + "&" + Encode(credentials.AccessTokenSecret));
        return Convert.ToBase64String(HMACSHA1.HashData(key, Encoding.UTF8.GetBytes(baseString)));
    }

    /// <summary>The <c>Authorization</c> header value (after "OAuth ") for one request.</summary>
    public string AuthorizationParameter(string method, Uri url, string nonce, long timestamp, IEnumerable<KeyValuePair<string, string>>? formParameters = null)
    {
        var oauth = new List<KeyValuePair<string, string>>
        {
            new("oauth_consumer_key", credentials.ConsumerKey),
            new("oauth_nonce", nonce),
            new("oauth_signature_method", "HMAC-SHA1"),
            new("oauth_timestamp", timestamp.ToString(CultureInfo.InvariantCulture)),
            new("oauth_token", credentials.AccessToken),
            new("oauth_version", "1.0"),
        };
        var signature = Sign(BaseString(method, url, oauth.Concat(formParameters ?? [])));
        oauth.Add(new("oauth_signature", signature));
        return string.Join(", ", oauth.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{Encode(p.Key)}=\"{Encode(p.Value)}\""));
    }

    /// <summary>A fresh random nonce (32 alphanumeric characters).</summary>
    public static string NewNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private static IEnumerable<KeyValuePair<string, string>> QueryParameters(Uri url)
    {
        var query = url.Query.TrimStart('?');
        if (query.Length == 0)
        {
            yield break;
        }

        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            yield return new(Uri.UnescapeDataString(key.Replace('+', ' ')), Uri.UnescapeDataString(value.Replace('+', ' ')));
        }
    }
}
