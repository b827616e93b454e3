namespace MqttRules.Mqtt;

/// <summary>A broker configuration error (bad URL, unreadable secret file): fatal at start-up, exit 1.</summary>
public sealed class MqttConfigException(string message) : MqttRules.Configuration.ConfigException(message);

/// <summary>
/// Where to connect: <c>mqtt://[user:pass@]host[:1883]</c>, <c>mqtts://[user:pass@]host[:8883]</c>,
/// or <c>embedded</c> (a broker inside the process).
/// </summary>
public sealed record BrokerAddress(string Host, int Port, bool Tls, string? Username, string? Password)
{
    public const string Embedded = "embedded";

    public bool IsEmbedded { get; init; }

    public static BrokerAddress Parse(string text)
    {
        var s = text.Trim();
        if (s.Equals(Embedded, StringComparison.OrdinalIgnoreCase))
        {
            return new BrokerAddress("127.0.0.1", 1883, false, null, null) { IsEmbedded = true };
        }

        if (!Uri.TryCreate(s, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtt" or "mqtts") || uri.Host.Length == 0)
        {
            throw new MqttConfigException($"broker '{Redact(s)}' is not valid; use mqtt://[user:pass@]host[:1883], mqtts://host[:8883] or embedded (--broker / MQTTRULES_BROKER)");
        }

        if (uri.AbsolutePath.Length > 1 || uri.Query.Length > 0)
        {
            throw new MqttConfigException($"broker '{Redact(s)}' has a path or query; only scheme, login, host and port are allowed");
        }

        var tls = uri.Scheme == "mqtts";
        var port = uri.IsDefaultPort || uri.Port < 0 ? (tls ? 8883 : 1883) : uri.Port;
        string? user = null, pass = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            pass = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        return new BrokerAddress(uri.IdnHost.Trim('[', ']'), port, tls, user, pass);
    }

    /// <summary>The URL for logs: never shows the password.</summary>
    public override string ToString() => IsEmbedded
        ? $"embedded broker ({Host}:{Port})"
        : $"{(Tls ? "mqtts" : "mqtt")}://{(Username is null ? "" : Username + (Password is null ? "" : ":***") + "@")}{Host}:{Port}";

    /// <summary>Hides the password of a URL that could not be parsed.</summary>
    public static string Redact(string url)
    {
        var at = url.LastIndexOf('@');
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || scheme < 0 || at < scheme)
        {
            return url;
        }

        var colon = url.IndexOf(':', scheme + 3);
        return colon > 0 && colon < at ? url[..(colon + 1)] + "***" + url[at..] : url;
    }
}
