using MqttRules.Configuration;

namespace MqttRules.Tests.Configuration;

public class SecretsTests
{
    [Fact]
    public void Get_VariableSet_Value()
    {
        var secrets = new Secrets(n => n == "X_API_KEY" ? "k" : null);

        Assert.Equal("k", secrets.Get("X_API_KEY"));
    }

    [Fact]
    public void Get_FileVariant_TrimmedFileContent()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "s3cret\n");
        try
        {
            var secrets = new Secrets(n => n == "X_API_SECRET_FILE" ? path : null);

            Assert.Equal("s3cret", secrets.Get("X_API_SECRET"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Get_BothSet_VariableWins()
    {
        var secrets = new Secrets(n => n switch { "A" => "direct", "A_FILE" => "/nonexistent", _ => null });

        Assert.Equal("direct", secrets.Get("A"));
    }

    [Fact]
    public void Get_Unset_Null() => Assert.Null(new Secrets(_ => null).Get("SMTP_URL"));

    [Fact]
    public void Get_UnreadableFile_ErrorNamesVariableNotContent()
    {
        var ex = Assert.Throws<ConfigException>(() => new Secrets(n => n == "SMTP_URL_FILE" ? "/nonexistent/secret" : null).Get("SMTP_URL"));

        Assert.StartsWith("SMTP_URL_FILE: cannot read '/nonexistent/secret' (no such file)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_FileIsAFolder_ErrorNamesVariable()
    {
        var ex = Assert.Throws<ConfigException>(() => new Secrets(n => n == "X_API_KEY_FILE" ? Path.GetTempPath() : null).Get("X_API_KEY"));

        Assert.StartsWith("X_API_KEY_FILE: cannot read", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_FileWithSpacesInside_KeepsThemDropsTheLineBreak()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, " pass word \r\n");
        try
        {
            Assert.Equal(" pass word ", new Secrets(n => n == "P_FILE" ? path : null).Get("P"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData(" YES ", true)]
    [InlineData("on", true)]
    [InlineData("1", true)]
    [InlineData("False", false)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    [InlineData("0", false)]
    public void Bool_AcceptedSpellings(string text, bool expected) =>
        Assert.Equal(expected, new Secrets(_ => text).Bool("MQTTRULES_TLS_INSECURE"));

    [Fact]
    public void Bool_Unset_Fallback() => Assert.True(new Secrets(_ => null).Bool("B", fallback: true));

    [Fact]
    public void Bool_BadValue_ErrorNamesVariable()
    {
        var ex = Assert.Throws<ConfigException>(() => new Secrets(_ => "maybe").Bool("MQTTRULES_TLS_INSECURE"));

        Assert.Equal("MQTTRULES_TLS_INSECURE: must be true/false, 1/0, yes/no or on/off, not 'maybe'", ex.Message);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("12h", 43200)]
    [InlineData("1d", 86400)]
    [InlineData("30", 30)]
    public void Duration_AcceptedSpellings(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), new Secrets(_ => text).Duration("D", TimeSpan.Zero));

    [Theory]
    [InlineData("soon")]
    [InlineData("-5m")]
    [InlineData("200w")]
    public void Duration_BadOrTooLong_ErrorNamesVariable(string text)
    {
        var ex = Assert.Throws<ConfigException>(() => new Secrets(_ => text).Duration("MQTTRULES_SESSION_EXPIRY", TimeSpan.Zero, DurationRange.UpTo(TimeSpan.FromDays(365))));

        Assert.StartsWith("MQTTRULES_SESSION_EXPIRY: must be a duration", ex.Message, StringComparison.Ordinal);
    }
}
