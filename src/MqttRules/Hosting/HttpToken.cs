using System.Security.Cryptography;
using System.Text;
using MqttRules.Configuration;

namespace MqttRules.Hosting;

/// <summary>
/// The bearer token of the HTTP endpoints that change something. Compared in constant time; never
/// printed (<see cref="ToString"/> hides it, so options records holding it can be logged).
/// </summary>
public sealed class HttpToken
{
    public const string Variable = "MQTTRULES_HTTP_TOKEN";

    private readonly byte[] expected;

    public HttpToken(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary><c>MQTTRULES_HTTP_TOKEN</c>, or the file named by <c>MQTTRULES_HTTP_TOKEN_FILE</c>; null when neither is set.</summary>
    public static HttpToken? FromEnvironment(Func<string, string?> env) =>
        new Secrets(env).Get(Variable) is { } token && !string.IsNullOrWhiteSpace(token) ? new HttpToken(token) : null;

    /// <summary>True for an <c>Authorization</c> header <c>Bearer &lt;token&gt;</c> with this token (hashes compared in constant time).</summary>
    public bool Accepts(string? authorization)
    {
        const string Scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    public override string ToString() => "(set)";
}
