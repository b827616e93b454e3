using MqttRules.Configuration;

namespace MqttRules.Actions.Ntfy;

/// <summary>The ntfy server (NTFY_URL, default https://ntfy.sh) and an optional access token. <see cref="ToString"/> hides the token.</summary>
internal sealed class NtfySettings(Uri baseUrl, string? token)
{
    public const string DefaultUrl = "https://ntfy.sh";

    public Uri BaseUrl { get; } = baseUrl;
    public string? Token { get; } = token;

    public static NtfySettings From(Secrets env) => new(env.HttpUrl("NTFY_URL", DefaultUrl), env.Get("NTFY_TOKEN"));

    public override string ToString() => $"NtfySettings({BaseUrl.Host}, {(Token is null ? "no token" : "***")})";
}
