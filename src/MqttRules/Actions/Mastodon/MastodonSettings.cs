using MqttRules.Configuration;

namespace MqttRules.Actions.Mastodon;

/// <summary>The server and the access token of the account that posts. <see cref="ToString"/> hides the token.</summary>
internal sealed class MastodonSettings(Uri baseUrl, string accessToken)
{
    public static readonly string[] Variables = ["MASTODON_BASE_URL", "MASTODON_ACCESS_TOKEN"];

    public Uri BaseUrl { get; } = baseUrl;
    public string AccessToken { get; } = accessToken;

    /// <summary>MASTODON_BASE_URL (an http(s) URL) and MASTODON_ACCESS_TOKEN (or its _FILE); null if either is missing.</summary>
    public static MastodonSettings? From(Secrets env)
    {
        var token = env.Get("MASTODON_ACCESS_TOKEN");
        if (env.Text("MASTODON_BASE_URL") is null || token is null)
        {
            return null;
        }

        return new MastodonSettings(env.HttpUrl("MASTODON_BASE_URL", "https://mastodon.example"), token);
    }

    public override string ToString() => $"MastodonSettings({BaseUrl.Host}, ***)";
}
