#pragma warning disable CA1707 // test names read Method_Scenario_Expected
using MqttRules.Mqtt;

namespace MqttRules.Tests.Mqtt;

public sealed class BrokerAddressTests
{
    [Theory]
    [InlineData("mqtt://broker", "broker", 1883, false, null, null)]
    [InlineData("mqtt://broker:1884", "broker", 1884, false, null, null)]
    [InlineData("mqtts://broker", "broker", 8883, true, null, null)]
    [InlineData("mqtts://broker:9999", "broker", 9999, true, null, null)]
    [InlineData("mqtt://user:pa%3Ass@10.0.0.5", "10.0.0.5", 1883, false, "user", "pa:ss")]
    [InlineData("mqtt://user@host", "host", 1883, false, "user", null)]
    [InlineData("mqtt://[::1]:1883", "::1", 1883, false, null, null)]
    public void Parse_Urls_GivesHostPortTlsAndLogin(string url, string host, int port, bool tls, string? user, string? pass)
    {
        var a = BrokerAddress.Parse(url);

        Assert.Equal((host, port, tls, user, pass, false), (a.Host, a.Port, a.Tls, a.Username, a.Password, a.IsEmbedded));
    }

    [Theory]
    [InlineData("embedded")]
    [InlineData("EMBEDDED")]
    public void Parse_Embedded_IsEmbedded(string text) => Assert.True(BrokerAddress.Parse(text).IsEmbedded);

    [Theory]
    [InlineData("http://broker")]
    [InlineData("broker:1883")]
    [InlineData("mqtt://")]
    [InlineData("mqtt://broker/path")]
    [InlineData("mqtt://broker?x=1")]
    public void Parse_BadUrl_ThrowsConfigError(string url) =>
        Assert.Throws<MqttConfigException>(() => BrokerAddress.Parse(url));

    [Fact]
    public void Parse_BadUrlWithPassword_MessageHidesPassword()
    {
        var ex = Assert.Throws<MqttConfigException>(() => BrokerAddress.Parse("http://u:topsecret@host"));

        Assert.DoesNotContain("topsecret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_WithPassword_HidesIt() =>
        Assert.Equal("mqtts://u:***@h:8883", BrokerAddress.Parse("mqtts://u:secret@h").ToString());
}
