using MqttRules.Configuration;
using MqttRules.Mqtt;

namespace MqttRules.Tests.Mqtt;

/// <summary>
/// The embedded broker on a network address is not an open door: as Mosquitto 2, it refuses
/// anonymous clients there unless that is asked for; on loopback (the default) it needs nothing.
/// </summary>
public sealed class EmbeddedAnonymousTests
{
    private static MqttSettings Settings(params (string Name, string Value)[] vars) =>
        MqttSettings.FromEnvironment("embedded", "mqttrules-test", name => vars.FirstOrDefault(v => v.Name == name).Value);

    [Theory]
    [InlineData("0.0.0.0:1883")]
    [InlineData("[::]:1883")]
    [InlineData("192.168.1.20:1883")]
    public void NetworkAddress_NoCredentials_RefusedNamingTheWayOut(string listen)
    {
        var ex = Assert.ThrowsAny<ConfigException>(() => Settings(("MQTTRULES_EMBEDDED_LISTEN", listen)));

        Assert.Contains("MQTTRULES_EMBEDDED_LISTEN=", ex.Message);
        Assert.Contains("MQTTRULES_EMBEDDED_USERNAME", ex.Message);
        Assert.Contains("MQTTRULES_EMBEDDED_ANONYMOUS=true", ex.Message);
    }

    [Fact]
    public void NetworkAddress_WithCredentials_Starts()
    {
        var s = Settings(("MQTTRULES_EMBEDDED_LISTEN", "0.0.0.0:1883"), ("MQTTRULES_EMBEDDED_USERNAME", "house"), ("MQTTRULES_EMBEDDED_PASSWORD", "s3cret"));

        Assert.Equal("house", s.EmbeddedUsername);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("yes")]
    [InlineData("1")]
    public void NetworkAddress_AnonymousAllowedExplicitly_Starts(string allowed)
    {
        var s = Settings(("MQTTRULES_EMBEDDED_LISTEN", "0.0.0.0:1883"), ("MQTTRULES_EMBEDDED_ANONYMOUS", allowed));

        Assert.Null(s.EmbeddedUsername);
    }

    [Fact]
    public void NetworkAddress_AnonymousFalse_StillRefused() =>
        Assert.ThrowsAny<ConfigException>(() => Settings(("MQTTRULES_EMBEDDED_LISTEN", "0.0.0.0:1883"), ("MQTTRULES_EMBEDDED_ANONYMOUS", "false")));

    [Theory]
    [InlineData(null)]
    [InlineData("127.0.0.1:18830")]
    [InlineData("[::1]:18830")]
    public void Loopback_NoCredentials_Starts(string? listen)
    {
        var s = listen is null ? Settings() : Settings(("MQTTRULES_EMBEDDED_LISTEN", listen));

        Assert.Null(s.EmbeddedUsername);
    }

    [Fact]
    public void ExternalBroker_EmbeddedSettingsIgnored()
    {
        var s = MqttSettings.FromEnvironment("mqtt://127.0.0.1:1883", "t", n => n == "MQTTRULES_EMBEDDED_LISTEN" ? "0.0.0.0:1883" : null);

        Assert.False(s.Broker.IsEmbedded);
    }
}
