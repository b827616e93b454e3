using MqttRules.Configuration;

namespace MqttRules.Mqtt;

/// <summary>
/// Everything about the broker connection (SPEC §2), read from the broker URL and the environment
/// and validated before anything connects. Secrets are kept here and never logged.
/// </summary>
public sealed record MqttSettings
{
    public required BrokerAddress Broker { get; init; }
    public required string ClientId { get; init; }

    /// <summary>MQTT 5 unless <c>MQTTRULES_PROTOCOL=3.1.1</c>.</summary>
    public bool UseV311 { get; init; }

    /// <summary>How long the broker keeps the session while the engine is away (<c>MQTTRULES_SESSION_EXPIRY</c>, default 1 day; MQTT's limit is 2^32-1 seconds).</summary>
    public TimeSpan SessionExpiry { get; init; } = TimeSpan.FromDays(1);
    public static readonly DurationRange SessionExpiryRange = DurationRange.UpTo(TimeSpan.FromSeconds(uint.MaxValue));

    /// <summary>False for <c>record</c>: a clean session that ends at disconnect.</summary>
    public bool PersistentSession { get; init; } = true;

    /// <summary>QoS of the engine's subscriptions (<c>MQTTRULES_SUBSCRIBE_QOS</c>, 0 to 2, default 1).</summary>
    public int SubscribeQos { get; init; } = 1;
    public static readonly WholeRange SubscribeQosRange = new(0, 2);
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string? CaFile { get; init; }
    public string? CertFile { get; init; }
    public string? KeyFile { get; init; }
    public bool TlsInsecure { get; init; }

    /// <summary>The listen address of the embedded broker (<c>MQTTRULES_EMBEDDED_LISTEN</c>).</summary>
    public HostPort EmbeddedListen { get; init; } = DefaultEmbeddedListen;
    public static readonly HostPort DefaultEmbeddedListen = new(System.Net.IPAddress.Loopback, 1883);
    public string? EmbeddedUsername { get; init; }
    public string? EmbeddedPassword { get; init; }

    /// <summary>
    /// The first level of the engine's own topics (<c>MQTTRULES_TOPIC_PREFIX</c>, default <c>mqttrules</c>):
    /// its status, events and command topics live under it. May have several levels; no wildcards.
    /// </summary>
    public string TopicPrefix { get; init; } = DefaultTopicPrefix;
    public const string DefaultTopicPrefix = "mqttrules";

    /// <summary>
    /// The engine's presence topic (<c>P/status</c>): the connection carries a Last Will of a retained
    /// <c>offline</c> there, publishes a retained <c>online</c> after every connect and <c>offline</c> before a
    /// clean disconnect. Null (the default, and for <c>record</c>, <c>--dry-run</c> and the demo meter): none.
    /// </summary>
    public string? StatusTopic { get; init; }

    /// <summary>Packet size, queue, connection and session limits of the embedded broker.</summary>
    public EmbeddedLimits EmbeddedLimits { get; init; } = new();

    public static string DefaultClientId(string prefix = "mqttrules") => $"{prefix}-{Environment.MachineName.ToLowerInvariant()}";

    /// <summary>
    /// An id no other process uses (<c>prefix-host-random</c>), for connections with a clean session
    /// (<c>--dry-run</c>, <c>record</c>) that must never take over the live engine's session, nor each other's.
    /// </summary>
    public static string UniqueClientId(string prefix) =>
        $"{DefaultClientId(prefix)}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}";

    /// <summary>Reads and checks the settings; throws a <see cref="ConfigException"/> naming the variable at fault.</summary>
    public static MqttSettings FromEnvironment(string brokerUrl, string clientId, Func<string, string?> environment)
    {
        var env = new Secrets(environment);
        var broker = BrokerAddress.Parse(brokerUrl);
        var listen = env.Text("MQTTRULES_EMBEDDED_LISTEN") is { } l
            ? HostPort.Parse(l, "MQTTRULES_EMBEDDED_LISTEN")
            : DefaultEmbeddedListen;
        var embeddedUser = env.Get("MQTTRULES_EMBEDDED_USERNAME");
        var embeddedPass = env.Get("MQTTRULES_EMBEDDED_PASSWORD");
        if ((embeddedUser is null) != (embeddedPass is null))
        {
            throw new MqttConfigException("set both MQTTRULES_EMBEDDED_USERNAME and MQTTRULES_EMBEDDED_PASSWORD, or neither");
        }

        if (broker.IsEmbedded && embeddedUser is null && !System.Net.IPAddress.IsLoopback(listen.Address) && !env.Bool("MQTTRULES_EMBEDDED_ANONYMOUS"))
        {
            // As Mosquitto 2 does: a broker reachable from the network is not an open door by default.
            throw new MqttConfigException(
                $"MQTTRULES_EMBEDDED_LISTEN={listen}: the embedded broker would accept anyone on the network; set MQTTRULES_EMBEDDED_USERNAME and " +
                "MQTTRULES_EMBEDDED_PASSWORD (or their _FILE forms) for devices to log in with, or MQTTRULES_EMBEDDED_ANONYMOUS=true to allow anonymous clients");
        }

        var defaults = new MqttSettings { Broker = broker, ClientId = clientId };
        var settings = new MqttSettings
        {
            Broker = broker.IsEmbedded ? broker with { Host = listen.ClientHost, Port = listen.Port } : broker,
            ClientId = clientId,
            UseV311 = Protocol(env.Text("MQTTRULES_PROTOCOL")),
            SessionExpiry = env.Duration("MQTTRULES_SESSION_EXPIRY", defaults.SessionExpiry, SessionExpiryRange),
            SubscribeQos = env.Whole("MQTTRULES_SUBSCRIBE_QOS", defaults.SubscribeQos, SubscribeQosRange),
            TopicPrefix = env.Text("MQTTRULES_TOPIC_PREFIX") ?? defaults.TopicPrefix,
            Username = broker.IsEmbedded ? embeddedUser : broker.Username ?? env.Get("MQTTRULES_USERNAME"),
            Password = broker.IsEmbedded ? embeddedPass : broker.Password ?? env.Get("MQTTRULES_PASSWORD"),
            CaFile = ExistingFile(env, "MQTTRULES_CA_FILE"),
            CertFile = ExistingFile(env, "MQTTRULES_CERT_FILE"),
            KeyFile = ExistingFile(env, "MQTTRULES_KEY_FILE"),
            TlsInsecure = env.Bool("MQTTRULES_TLS_INSECURE"),
            EmbeddedListen = listen,
            EmbeddedUsername = embeddedUser,
            EmbeddedPassword = embeddedPass,
            EmbeddedLimits = EmbeddedLimits.FromEnvironment(environment),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>Checks each setting against its stated range; throws a <see cref="ConfigException"/> naming the variable at fault.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ClientId))
        {
            throw ConfigException.For("MQTTRULES_CLIENT_ID", "must not be empty");
        }

        SessionExpiryRange.Check(SessionExpiry, "MQTTRULES_SESSION_EXPIRY");
        SubscribeQosRange.Check(SubscribeQos, "MQTTRULES_SUBSCRIBE_QOS");
        if (Topics.TopicFilters.CheckTopicPrefix(TopicPrefix) is { } prefixProblem)
        {
            throw ConfigException.For("MQTTRULES_TOPIC_PREFIX", prefixProblem);
        }
        if ((CertFile is null) != (KeyFile is null))
        {
            throw new MqttConfigException("a client certificate needs both MQTTRULES_CERT_FILE and MQTTRULES_KEY_FILE");
        }

        EmbeddedLimits.Validate();
    }

    private static string? ExistingFile(Secrets env, string name)
    {
        var path = env.Text(name);
        return path is null || File.Exists(path) ? path : throw new MqttConfigException($"{name}: no such file '{path}'");
    }

    private static bool Protocol(string? text) => text switch
    {
        null or "5" or "5.0" or "v5" => false,
        "3.1.1" or "311" or "v311" or "4" => true,
        _ => throw new MqttConfigException($"MQTTRULES_PROTOCOL must be 5 or 3.1.1, not '{text}'"),
    };

    /// <summary>Secrets stay out of logs and exception messages.</summary>
    public override string ToString() => $"{Broker} as {ClientId}{(Username is null ? "" : $" (user {Username})")}";
}
