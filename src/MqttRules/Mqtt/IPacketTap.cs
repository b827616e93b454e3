namespace MqttRules.Mqtt;

/// <summary>
/// Takes packets on the connection's reading thread before MQTTnet sees them (see
/// <see cref="SocketChannel"/>): a PUBLISH goes from the socket's buffer to the engine without
/// MQTTnet's decoder and the five asynchronous layers between them, which at a house's rate cost
/// more than evaluating the message. A packet declined here reaches MQTTnet as before, in order.
/// </summary>
internal interface IPacketTap
{
    /// <summary>Takes the complete packet, or returns false to leave it to MQTTnet.</summary>
    /// <param name="header">The fixed header's first byte (type and flags).</param>
    /// <param name="body">The rest of the packet after the fixed header; valid during the call only.</param>
    bool TryTake(byte header, ReadOnlySpan<byte> body);
}
