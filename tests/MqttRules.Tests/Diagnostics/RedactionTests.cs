using MqttRules.Diagnostics;

namespace MqttRules.Tests.Diagnostics;

/// <summary>Credentials in URLs are hidden wherever text leaves the process.</summary>
public class RedactionTests
{
    private static readonly Redaction Default = new();

    [Theory]
    [InlineData("https://hooks.example/alert?token=s3cret", "https://hooks.example/alert?token=***")]
    [InlineData("https://u:hunter2@hooks.example/x", "https://u:***@hooks.example/x")]
    [InlineData("https://u:hunter2@hooks.example:8443", "https://u:***@hooks.example:8443")]
    [InlineData("https://user@hooks.example/x", "https://user@hooks.example/x")]
    [InlineData("https://h/x?a=1&API_KEY=k&sig=abc&b=2#frag", "https://h/x?a=1&API_KEY=***&sig=***&b=2#frag")]
    [InlineData("https://h/x?access_token=t&Signature=s&secret=x&password=p&apikey=q&key=z", "https://h/x?access_token=***&Signature=***&secret=***&password=***&apikey=***&key=***")]
    [InlineData("https://h/x?api%5Fkey=k", "https://h/x?api%5Fkey=***")]
    [InlineData("https://h/x?token", "https://h/x?token")]
    [InlineData(@"https://h/x?a=1\u0026token=t", @"https://h/x?a=1\u0026token=***")]
    [InlineData("https://h/path/token=not-a-query", "https://h/path/token=not-a-query")]
    [InlineData("https://h/x?tokens=fine&monkey=fine", "https://h/x?tokens=fine&monkey=fine")]
    public void Url_HidesPasswordAndSecretParameters(string url, string expected) => Assert.Equal(expected, Default.Url(url));

    [Fact]
    public void Text_RedactsEveryUrlInALine()
    {
        var line = "water fired → webhook POST https://a:pw@h1/x?token=t1 and \"https://h2/?sig=s2\" done";

        Assert.Equal("water fired → webhook POST https://a:***@h1/x?token=*** and \"https://h2/?sig=***\" done", Default.Text(line));
    }

    [Fact]
    public void Text_WithoutUrls_Unchanged() => Assert.Equal("nothing: to see?token=x", Default.Text("nothing: to see?token=x"));

    [Fact]
    public void WithExtra_AddsConfiguredNamesToTheDefaults()
    {
        var redaction = Redaction.WithExtra(" session , X-Auth ");

        Assert.Equal("https://h/?session=***&x-auth=***&token=***&page=2", redaction.Url("https://h/?session=1&x-auth=2&token=3&page=2"));
    }

    [Fact]
    public void Text_IsIdempotent()
    {
        var once = Default.Text("https://u:p@h/?token=t");

        Assert.Equal(once, Default.Text(once));
    }
}
