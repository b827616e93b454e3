using MQTTnet;

namespace MqttRules.Mqtt;

/// <summary>
/// A received message, handed from the MQTT receive loop to the engine loop. QoS 1/2 messages are
/// acknowledged only by <see cref="AcknowledgeAsync"/>, after evaluation, so the broker redelivers
/// what the engine never saw.
/// </summary>
internal readonly struct IncomingMessage
{
    private readonly MqttApplicationMessageReceivedEventArgs? args;

    internal IncomingMessage(string topic, ReadOnlyMemory<byte> payload, int qos, MqttApplicationMessageReceivedEventArgs? args, IReadOnlyList<string>? via = null)
    {
        Via = via;
        Topic = topic;
        Payload = payload;
        Qos = qos;
        this.args = args;
    }

    public IncomingMessage(string topic, ReadOnlyMemory<byte> payload)
        : this(topic, payload, 0, null)
    {
    }

    public string Topic { get; }
    public ReadOnlyMemory<byte> Payload { get; }
    public int Qos { get; }

    /// <summary>
    /// The subscribed filters this copy arrived for (from its MQTT 5 subscription identifiers), so
    /// that a message matching overlapping subscriptions feeds each rule once; null: any rule it matches.
    /// </summary>
    public IReadOnlyList<string>? Via { get; }

    /// <summary>Sends the PUBACK/PUBREC; a message received on a connection that has since dropped is redelivered instead.</summary>
    public async ValueTask AcknowledgeAsync(CancellationToken ct)
    {
        if (args is null || Qos == 0)
        {
            return;
        }

        try
        {
            await args.AcknowledgeAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The connection went away; the broker will redeliver it (persistent session).
        }
    }
}
