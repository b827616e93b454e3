using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;

namespace MqttRules.Mqtt;

/// <summary>Turns <see cref="MqttSettings"/> into MQTTnet client options (the only place that knows MQTTnet's builder).</summary>
internal static class ClientOptionsFactory
{
    /// <summary>
    /// The socket buffers MQTTnet sets on the connection (it always sets SO_RCVBUF/SO_SNDBUF, which
    /// turns off the kernel's autotuning). Its default of 8 KB closes the TCP receive window as soon as
    /// the broker has a backlog for us: mosquitto then sends only on zero-window probes (every 200 ms
    /// and more), and a QoS 1 backlog drained at a few hundred messages a second. 1 MiB (the kernel
    /// caps it at net.core.rmem_max / wmem_max) keeps the window open for thousands of messages.
    /// </summary>
    public const int SocketBufferSize = 1024 * 1024;

    /// <summary>The payloads of <see cref="MqttSettings.StatusTopic"/>.</summary>
    public const string StatusOnline = "online";
    public const string StatusOffline = "offline";

    public static MqttClientOptions Create(MqttSettings s)
    {
        var b = new MqttClientOptionsBuilder()
            .WithTcpServer(s.Broker.Host, s.Broker.Port)
            .WithClientId(s.ClientId)
            .WithProtocolVersion(s.UseV311 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500)
            .WithCleanStart(!s.PersistentSession)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (s.PersistentSession && !s.UseV311)
        {
            b = b.WithSessionExpiryInterval((uint)Math.Min(uint.MaxValue - 1, s.SessionExpiry.TotalSeconds));
        }

        if (s.StatusTopic is { } status)
        {
            // Published by the broker when the connection ends without a DISCONNECT (a crash, kill -9, a lost network).
            b = b.WithWillTopic(status)
                .WithWillPayload(System.Text.Encoding.UTF8.GetBytes(StatusOffline))
                .WithWillRetain()
                .WithWillQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce);
        }

        if (s.Username is not null)
        {
            b = b.WithCredentials(s.Username, s.Password ?? "");
        }

        if (s.Broker.Tls)
        {
            b = b.WithTlsOptions(t => Tls(t, s));
        }

        var options = b.Build();
        if (options.ChannelOptions is MqttClientTcpOptions tcp)
        {
            tcp.BufferSize = SocketBufferSize;

            // MQTTnet's default (linger on, 0 s) resets the connection on close and discards what the
            // kernel has not sent yet: the DISCONNECT and the last acknowledgements. Close gracefully.
            tcp.LingerState = new System.Net.Sockets.LingerOption(false, 0);
            if (QuickAckStreamProvider.Serves(tcp))
            {
                tcp.StreamProvider = new QuickAckStreamProvider(tcp, options.Timeout);
            }
        }

        return options;
    }

    private static void Tls(MqttClientTlsOptionsBuilder t, MqttSettings s)
    {
        t.UseTls();
        if (s.CaFile is not null)
        {
            var ca = new X509Certificate2Collection();
            try
            {
                ca.ImportFromPemFile(s.CaFile);
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException)
            {
                throw new MqttConfigException($"MQTTRULES_CA_FILE '{s.CaFile}' is not a PEM certificate bundle: {ex.Message}");
            }

            t.WithTrustChain(ca);
        }

        if (s.CertFile is not null && s.KeyFile is not null)
        {
            try
            {
                t.WithClientCertificates(new X509Certificate2Collection(X509Certificate2.CreateFromPemFile(s.CertFile, s.KeyFile)));
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException)
            {
                throw new MqttConfigException($"client certificate (MQTTRULES_CERT_FILE / MQTTRULES_KEY_FILE) cannot be loaded: {ex.Message}");
            }
        }

        if (s.TlsInsecure)
        {
            t.WithCertificateValidationHandler(_ => true);
        }
    }
}
