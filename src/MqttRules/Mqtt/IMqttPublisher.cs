namespace MqttRules.Mqtt;

/// <summary>Sends one MQTT message; the seam between actions and the broker connection.</summary>
internal interface IMqttPublisher
{
    bool IsConnected { get; }

    /// <summary>
    /// How many QoS 1/2 publishes may await their acknowledgement at once (QoS 0 ones do not count): the broker's MQTT 5
    /// Receive Maximum (mosquitto announces its <c>max_inflight_messages</c>, 20 by default), 65535
    /// when it sets none.
    /// </summary>
    int ReceiveMaximum => ushort.MaxValue;

    /// <summary>
    /// Publishes; throws <see cref="MqttNotConnectedException"/> while the broker is away, and
    /// <see cref="MqttPublishRefusedException"/> when the broker refuses it (MQTT 5 reason code ≥ 0x80). Several
    /// calls may be in flight at once; messages leave in call order (MQTTnet queues the packet before
    /// its first await), the task completes on the broker's acknowledgement; for QoS 0 (which has none)
    /// once the broker answered a PINGREQ written after it, which proves it read the publish.
    /// </summary>
    Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken ct);

    /// <summary>Completes when the connection is (back) up.</summary>
    Task WaitConnectedAsync(CancellationToken ct);

    /// <summary>
    /// The caller waits for the QoS 0 publishes it made and will make no other meanwhile (one sent
    /// again alone after the connection came back; the last ones at the end): prove them now instead
    /// of waiting for a later publish to take their proof along (see <see cref="PingBarrier"/>).
    /// </summary>
    void Hurry()
    {
    }
}

/// <summary>
/// A publish attempted while the broker connection is down, or whose connection was lost before the
/// broker acknowledged it (<see cref="AfterSending"/>: the broker may have dropped the connection
/// because of this very publish).
/// </summary>
internal sealed class MqttNotConnectedException(string message, Exception? inner = null, bool afterSending = false) : Exception(message, inner)
{
    public bool AfterSending => afterSending;
}

/// <summary>The broker (or the client library, before sending) refused the publish; sending it again cannot help.</summary>
internal sealed class MqttPublishRefusedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The broker refused us for good: a refused login or an untrusted certificate (SPEC §2). The
/// message says "authentication" or "certificate"; the program exits with code 1.
/// </summary>
public sealed class MqttFatalException(string message, Exception? inner = null) : Exception(message, inner);
