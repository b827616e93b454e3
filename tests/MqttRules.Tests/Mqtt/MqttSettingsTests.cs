#pragma warning disable CA1707
using MqttRules.Mqtt;

namespace MqttRules.Tests.Mqtt;

public sealed class MqttSettingsTests
{
    private static MqttSettings Read(string broker, params (string Name, string Value)[] vars)
    {
        var env = vars.ToDictionary(v => v.Name, v => v.Value);
        return MqttSettings.FromEnvironment(broker, "id", n => env.GetValueOrDefault(n));
    }

    [Fact]
    public void ClientOptions_SocketBuffers_AreLargeEnoughForABacklog()
    {
        // MQTTnet always sets SO_RCVBUF/SO_SNDBUF; its 8 KB default let the TCP window close under a burst.
        var tcp = Assert.IsType<MQTTnet.MqttClientTcpOptions>(ClientOptionsFactory.Create(Read("mqtt://h")).ChannelOptions);

        Assert.True(tcp.BufferSize >= 1024 * 1024);
        Assert.True(tcp.NoDelay);
        Assert.False(tcp.LingerState.Enabled); // a graceful close: the last acknowledgements are not reset away
    }

    [Fact]
    public void FromEnvironment_Nothing_GivesSpecDefaults()
    {
        var s = Read("mqtt://h");

        Assert.False(s.UseV311);
        Assert.True(s.PersistentSession);
        Assert.Equal(TimeSpan.FromDays(1), s.SessionExpiry);
        Assert.Equal(1, s.SubscribeQos);
        Assert.False(s.TlsInsecure);
        Assert.Null(s.Username);
    }

    [Fact]
    public void FromEnvironment_Variables_AreRead()
    {
        var s = Read("mqtt://h", ("MQTTRULES_PROTOCOL", "3.1.1"), ("MQTTRULES_SESSION_EXPIRY", "12h"),
            ("MQTTRULES_SUBSCRIBE_QOS", "2"), ("MQTTRULES_TLS_INSECURE", "1"), ("MQTTRULES_USERNAME", "u"), ("MQTTRULES_PASSWORD", "p"));

        Assert.True(s.UseV311);
        Assert.Equal(TimeSpan.FromHours(12), s.SessionExpiry);
        Assert.Equal(2, s.SubscribeQos);
        Assert.True(s.TlsInsecure);
        Assert.Equal(("u", "p"), (s.Username, s.Password));
    }

    [Fact]
    public void FromEnvironment_UrlLogin_WinsOverVariables()
    {
        var s = Read("mqtt://a:b@h", ("MQTTRULES_USERNAME", "u"), ("MQTTRULES_PASSWORD", "p"));

        Assert.Equal(("a", "b"), (s.Username, s.Password));
    }

    [Fact]
    public void FromEnvironment_PasswordFile_IsReadWithoutTrailingNewline()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "from-file\n");
        try
        {
            var s = Read("mqtt://h", ("MQTTRULES_USERNAME", "u"), ("MQTTRULES_PASSWORD_FILE", file));

            Assert.Equal("from-file", s.Password);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("MQTTRULES_PROTOCOL", "4.0")]
    [InlineData("MQTTRULES_SESSION_EXPIRY", "soon")]
    [InlineData("MQTTRULES_SUBSCRIBE_QOS", "3")]
    [InlineData("MQTTRULES_TLS_INSECURE", "maybe")]
    [InlineData("MQTTRULES_CA_FILE", "/no/such/ca.pem")]
    [InlineData("MQTTRULES_PASSWORD_FILE", "/no/such/secret")]
    [InlineData("MQTTRULES_EMBEDDED_LISTEN", "nowhere")]
    [InlineData("MQTTRULES_EMBEDDED_USERNAME", "only-user")]
    public void FromEnvironment_BadValue_NamesTheVariable(string name, string value)
    {
        var ex = Assert.ThrowsAny<MqttRules.Configuration.ConfigException>(() => Read("mqtt://h", (name, value)));

        Assert.Contains(name.Replace("_FILE", "", StringComparison.Ordinal), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_Embedded_ConnectsToItsListenerWithItsLogin()
    {
        var s = Read("embedded", ("MQTTRULES_EMBEDDED_LISTEN", "0.0.0.0:2883"), ("MQTTRULES_EMBEDDED_USERNAME", "house"), ("MQTTRULES_EMBEDDED_PASSWORD", "pw"));

        Assert.True(s.Broker.IsEmbedded);
        Assert.Equal(("127.0.0.1", 2883), (s.Broker.Host, s.Broker.Port));
        Assert.Equal(("house", "pw"), (s.Username, s.Password));
    }

    [Fact]
    public void ToString_NeverShowsThePassword()
    {
        var s = Read("mqtt://u:hunter2@h");

        Assert.DoesNotContain("hunter2", s.ToString(), StringComparison.Ordinal);
    }
}
