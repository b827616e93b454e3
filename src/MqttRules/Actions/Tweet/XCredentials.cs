using MqttRules.Configuration;

namespace MqttRules.Actions.Tweet;

/// <summary>OAuth 1.0a user-context credentials of an X app. <see cref="ToString"/> hides them.</summary>
internal sealed class XCredentials(string consumerKey, string consumerSecret, string accessToken, string accessTokenSecret)
{
    public string ConsumerKey { get; } = consumerKey;
    public string ConsumerSecret { get; } = consumerSecret;
    public string AccessToken { get; } = accessToken;
    public string AccessTokenSecret { get; } = accessTokenSecret;

    /// <summary>All four from X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET (or *_FILE); null if any is missing.</summary>
    public static XCredentials? From(Secrets secrets)
    {
        var key = secrets.Get("X_API_KEY");
        var secret = secrets.Get("X_API_SECRET");
        var token = secrets.Get("X_ACCESS_TOKEN");
        var tokenSecret = secrets.Get("X_ACCESS_TOKEN_SECRET");
        return key is null || secret is null || token is null || tokenSecret is null
            ? null
            : new XCredentials(key, secret, token, tokenSecret);
    }

    public override string ToString() => "XCredentials(***)";
}
