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
        var ex = Assert.Throws<InvalidOperationException>(() => new Secrets(n => n == "SMTP_URL_FILE" ? "/nonexistent/secret" : null).Get("SMTP_URL"));

        Assert.Contains("SMTP_URL_FILE", ex.Message);
    }
}
