using MailKit.Security;
using MqttRules.Actions.Email;

namespace MqttRules.Tests.Actions.Email;

public class SmtpSettingsTests
{
    [Theory]
    [InlineData("smtp://user:pass@mail.example:587", "mail.example", 587, SecureSocketOptions.StartTlsWhenAvailable)]
    [InlineData("smtp://mail.example", "mail.example", 587, SecureSocketOptions.StartTlsWhenAvailable)]
    [InlineData("smtp://user:pass@mail.example:25?starttls=required", "mail.example", 25, SecureSocketOptions.StartTls)]
    [InlineData("smtps://user:pass@mail.example", "mail.example", 465, SecureSocketOptions.SslOnConnect)]
    [InlineData("smtps://user:pass@mail.example:2465", "mail.example", 2465, SecureSocketOptions.SslOnConnect)]
    public void Parse_Url_HostPortSecurity(string url, string host, int port, SecureSocketOptions security)
    {
        var s = SmtpSettings.Parse(url, "rules@example.com");

        Assert.Equal((host, port, security), (s.Host, s.Port, s.Security));
    }

    [Fact]
    public void Parse_EncodedCredentials_Decoded()
    {
        var s = SmtpSettings.Parse("smtp://alerts%40example.com:p%40ss%3Aw0rd@mail.example:587", null);

        Assert.Equal("alerts@example.com", s.User);
        Assert.Equal("p@ss:w0rd", s.Password);
        Assert.Equal("alerts@example.com", s.From);
    }

    [Theory]
    [InlineData("http://mail.example")]
    [InlineData("mail.example:587")]
    [InlineData("smtp://user:topsecret@")]
    public void Parse_BadUrl_FormatExceptionWithoutSecret(string url)
    {
        var ex = Assert.Throws<FormatException>(() => SmtpSettings.Parse(url, null));

        Assert.Contains("SMTP_URL", ex.Message);
        Assert.DoesNotContain("topsecret", ex.Message);
    }

    [Fact]
    public void ToString_Settings_HidesPassword() =>
        Assert.DoesNotContain("hunter2", SmtpSettings.Parse("smtp://u:hunter2@h:587", "a@b.c").ToString());

    [Fact]
    public void Build_ListOfRecipients_AllInToWithSubjectAndBody()
    {
        var executor = new EmailExecutor(SmtpSettings.Parse("smtp://h", "rules@example.com"), TimeSpan.FromSeconds(5));

        var message = executor.Build(TestActions.Email("a@example.com", "b@example.com"));

        Assert.Equal(["a@example.com", "b@example.com"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("Freezer", message.Subject);
        Assert.Equal("Freezer at -5 C", message.TextBody);
        Assert.Equal("rules@example.com", message.From.Mailboxes.Single().Address);
    }
}
