#pragma warning disable CA1707
using System.Net;
using MqttRules.Mqtt;

namespace MqttRules.Tests.Mqtt;

public sealed class HostPortTests
{
    [Theory]
    [InlineData(":9100", "0.0.0.0", 9100, "127.0.0.1")]
    [InlineData("127.0.0.1:1883", "127.0.0.1", 1883, "127.0.0.1")]
    [InlineData("0.0.0.0:1883", "0.0.0.0", 1883, "127.0.0.1")]
    [InlineData("localhost:8080", "127.0.0.1", 8080, "127.0.0.1")]
    [InlineData("[::1]:1883", "::1", 1883, "::1")]
    [InlineData("10.1.2.3:1", "10.1.2.3", 1, "10.1.2.3")]
    public void Parse_ListenAddresses(string text, string address, int port, string clientHost)
    {
        var hp = HostPort.Parse(text, "--http");

        Assert.Equal((IPAddress.Parse(address), port, clientHost), (hp.Address, hp.Port, hp.ClientHost));
    }

    [Theory]
    [InlineData("9100")]
    [InlineData("host:")]
    [InlineData("example.com:80")]
    [InlineData(":70000")]
    public void Parse_Bad_ThrowsNamingTheSetting(string text)
    {
        var ex = Assert.Throws<MqttConfigException>(() => HostPort.Parse(text, "--http"));

        Assert.Contains("--http", ex.Message, StringComparison.Ordinal);
    }
}
