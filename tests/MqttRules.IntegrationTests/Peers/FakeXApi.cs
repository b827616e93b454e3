using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using MqttRules.Actions.Tweet;

namespace MqttRules.IntegrationTests.Peers;

/// <summary>
/// A fake of <c>POST /2/tweets</c> that verifies every OAuth 1.0a signature against the test
/// credentials (401 when it does not match), then lets the scenario decide the answer.
/// </summary>
internal static class FakeXApi
{
    public static readonly XCredentials Credentials = new("test-consumer-key", "test-consumer-secret-XYZ", "123-test-access-token", "test-token-secret-ABC");

    public static IReadOnlyDictionary<string, string> Env(Uri baseUrl) => new Dictionary<string, string>
    {
        ["X_API_KEY"] = Credentials.ConsumerKey,
        ["X_API_SECRET"] = Credentials.ConsumerSecret,
        ["X_ACCESS_TOKEN"] = Credentials.AccessToken,
        ["X_ACCESS_TOKEN_SECRET"] = Credentials.AccessTokenSecret,
        ["X_API_BASE_URL"] = baseUrl.ToString(),
    };

    /// <summary>Handler: checks path, JSON body and signature; then <paramref name="answer"/> (default 201 with data).</summary>
    public static Func<Received, HttpContext, Task> Handler(Func<Received, HttpContext, Task>? answer = null) => async (r, ctx) =>
    {
        if (r.Method != "POST" || !r.Url.EndsWith("/2/tweets", StringComparison.Ordinal) || TextOf(r) is null)
        {
            ctx.Response.StatusCode = 400;
            return;
        }

        if (!SignatureValid(r))
        {
            ctx.Response.StatusCode = (int)HttpStatusCode.Unauthorized;
            await ctx.Response.WriteAsync("{\"title\":\"Unauthorized\",\"status\":401}");
            return;
        }

        if (answer is not null)
        {
            await answer(r, ctx);
            return;
        }

        ctx.Response.StatusCode = 201;
        await ctx.Response.WriteAsJsonAsync(new { data = new { id = "1", text = TextOf(r) } });
    };

    public static string? TextOf(Received r)
    {
        try
        {
            using var doc = JsonDocument.Parse(r.Body);
            return doc.RootElement.GetProperty("text").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Recomputes the HMAC-SHA1 signature from the header's oauth_* fields (a JSON body is not signed).</summary>
    public static bool SignatureValid(Received r)
    {
        if (!r.Headers.TryGetValue("Authorization", out var auth) || !auth.StartsWith("OAuth ", StringComparison.Ordinal))
        {
            return false;
        }

        var fields = auth["OAuth ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Trim('"')), StringComparer.Ordinal);
        if (!fields.TryGetValue("oauth_signature", out var signature)
            || fields.GetValueOrDefault("oauth_consumer_key") != Credentials.ConsumerKey
            || fields.GetValueOrDefault("oauth_token") != Credentials.AccessToken
            || fields.GetValueOrDefault("oauth_signature_method") != "HMAC-SHA1"
            || string.IsNullOrEmpty(fields.GetValueOrDefault("oauth_nonce"))
            || string.IsNullOrEmpty(fields.GetValueOrDefault("oauth_timestamp")))
        {
            return false;
        }

        var signed = fields.Where(f => f.Key != "oauth_signature");
        var expected = new OAuth1Signer(Credentials).Sign(OAuth1Signer.BaseString(r.Method, new Uri(r.Url), signed));
        return expected == signature;
    }
}
