using MailKit.Security;
using MqttRules.Configuration;

namespace MqttRules.Actions.Email;

/// <summary>
/// Parsed <c>SMTP_URL</c> (<c>smtp://user:pass@host:587</c>, <c>smtps://…:465</c>, <c>?starttls=required</c>)
/// and <c>SMTP_FROM</c>. <see cref="ToString"/> never shows the password.
/// </summary>
internal sealed record SmtpSettings(string Host, int Port, SecureSocketOptions Security, string? User, string? Password, string From)
{
    public static SmtpSettings? FromEnvironment(Secrets secrets)
    {
        var url = secrets.Get("SMTP_URL");
        return url is null ? null : Parse(url, secrets.Get("SMTP_FROM"));
    }

    /// <summary>Parses the URL; the error message names the problem without echoing the URL.</summary>
    public static SmtpSettings Parse(string smtpUrl, string? from)
    {
        if (!Uri.TryCreate(smtpUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("smtp" or "smtps") || uri.Host.Length == 0)
        {
            throw new FormatException("SMTP_URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465");
        }

        var implicitTls = uri.Scheme == "smtps";
        var required = uri.Query.Contains("starttls=required", StringComparison.OrdinalIgnoreCase);
        var security = implicitTls ? SecureSocketOptions.SslOnConnect
            : required ? SecureSocketOptions.StartTls : SecureSocketOptions.StartTlsWhenAvailable;
        var port = uri.IsDefaultPort || uri.Port <= 0 ? (implicitTls ? 465 : 587) : uri.Port;
        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? "" : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        var sender = string.IsNullOrWhiteSpace(from) ? (user is not null && user.Contains('@', StringComparison.Ordinal) ? user : $"mqttrules@{uri.Host}") : from;
        return new SmtpSettings(uri.Host, port, security, user, password, sender);
    }

    public override string ToString() => $"SmtpSettings {{ Host = {Host}, Port = {Port}, Security = {Security}, User = {User}, From = {From} }}";
}
