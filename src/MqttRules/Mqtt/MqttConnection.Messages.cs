using System.Buffers;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace MqttRules.Mqtt;

/// <summary>The message side of the connection: subscribe, receive (manual acknowledgement), publish.</summary>
internal sealed partial class MqttConnection
{
    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken ct)
    {
        RefuseTooLarge(topic, payload.Length, qos);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(new ReadOnlySequence<byte>(payload))
            .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos)
            .WithRetainFlag(retain)
            .Build();
        MqttClientPublishResult result;
        try
        {
            result = await client.PublishAsync(message, ct);
        }
        catch (MqttClientNotConnectedException ex)
        {
            throw new MqttNotConnectedException("not connected to the broker", ex);
        }
        catch (MqttCommunicationException ex)
        {
            throw new MqttNotConnectedException($"connection to the broker failed: {ex.Message}", ex, afterSending: true);
        }
        catch (Exception ex) when (ex is MqttProtocolViolationException or ArgumentException)
        {
            throw new MqttPublishRefusedException($"the publish to '{topic}' is not valid MQTT: {ex.Message}", ex);
        }

        if (!result.IsSuccess)
        {
            var reason = string.IsNullOrEmpty(result.ReasonString) ? "" : $" ({result.ReasonString})";
            throw new MqttPublishRefusedException($"the broker refused the publish to '{topic}': {result.ReasonCode} (0x{(int)result.ReasonCode:X2}){reason}");
        }

        if (qos == 0)
        {
            await ReadByBrokerAsync();
        }
    }

    public void Hurry() => barrier.Hurry();

    /// <summary>
    /// A QoS 0 publish has no acknowledgement: it counts as delivered once the PINGRESP to a PINGREQ
    /// written after it arrived (see <see cref="PingBarrier"/>); a connection lost before that fails
    /// it as a QoS 1 publish without PUBACK does, so it is sent again. The pings are our own
    /// (<see cref="DirectPublishAdapter.PingAsync"/>): each PINGRESP is matched to the ping it answers,
    /// so MQTTnet's keep-alive pings never complete ours early.
    /// </summary>
    private async Task ReadByBrokerAsync()
    {
        try
        {
            await barrier.WaitAsync();
        }
        catch (Exception ex)
        {
            throw new MqttNotConnectedException($"connection to the broker lost before it read the publish: {ex.Message}", ex, afterSending: true);
        }
    }

    private async Task SubscribeAsync(SubscriptionPlan plan, bool sessionPresent, CancellationToken ct)
    {
        // MQTT 5: always (re)subscribe, so rule changes take effect, without re-sending retained
        // messages for subscriptions the session already has. 3.1.1 has no such option: only when the session is new.
        if (plan.Packets.Count == 0 || (settings.UseV311 && sessionPresent))
        {
            return;
        }

        await Task.WhenAll(plan.Packets.Select(p => SubscribeAsync(p, ct)));
        ClientLog.Subscribed(logger, string.Join(", ", plan.Filters), settings.SubscribeQos);
    }

    /// <summary>One SUBSCRIBE packet; its subscription identifier (MQTT 5) applies to all its filters.</summary>
    private async Task SubscribeAsync(PlannedSubscription packet, CancellationToken ct)
    {
        var builder = new MqttClientSubscribeOptionsBuilder();
        foreach (var f in packet.Filters)
        {
            builder.WithTopicFilter(t => t
                .WithTopic(f)
                .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)settings.SubscribeQos)
                .WithRetainHandling(settings.UseV311 ? MqttRetainHandling.SendAtSubscribe : MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly));
        }

        var options = builder.Build();
        if (packet.Id is { } id)
        {
            options.SubscriptionIdentifier = id;
        }

        var result = await client.SubscribeAsync(options, ct);
        foreach (var item in result.Items)
        {
            if ((int)item.ResultCode > 2)
            {
                ClientLog.SubscriptionRefused(logger, item.TopicFilter.Topic, item.ResultCode);
            }
        }
    }

    /// <summary>
    /// Every message of a TCP connection arrives here, on MQTTnet's receive loop (see
    /// <see cref="DirectPublishAdapter"/>); QoS 1/2 ones are acknowledged by <see cref="IncomingMessage.AcknowledgeAsync"/> only.
    /// </summary>
    private bool TakePublish(MqttPublishPacket packet, MQTTnet.Adapter.IMqttChannelAdapter from)
    {
        handOff!.Hand(new IncomingMessage(packet, Payload(packet.Payload), from, plan?.Route(packet.SubscriptionIdentifiers)));
        return true;
    }

    /// <summary>Messages the adapter did not take (a channel other than TCP) come as MQTTnet's message event.</summary>
    private Task OnReceived(MqttApplicationMessageReceivedEventArgs e)
    {
        if (onMessage is null)
        {
            return Task.CompletedTask;
        }

        var m = e.ApplicationMessage;
        var qos = (int)m.QualityOfServiceLevel;
        if (qos > 0)
        {
            e.AutoAcknowledge = false;
        }

        var via = plan?.Route(m.SubscriptionIdentifiers);
        var handed = onMessage(new IncomingMessage(m.Topic, Payload(m.Payload), qos, e, via));
        return handed.IsCompletedSuccessfully ? Task.CompletedTask : handed.AsTask();
    }

    private static ReadOnlyMemory<byte> Payload(ReadOnlySequence<byte> seq) => seq.IsSingleSegment ? seq.First : seq.ToArray();

    private Task OnDisconnected(MqttClientDisconnectedEventArgs e)
    {
        if (e.ClientWasConnected)
        {
            lock (gate)
            {
                takenOver |= e.Reason == MqttClientDisconnectReason.SessionTakenOver;
                brokerError = BrokerError(e);
                disconnectReason = brokerError
                    ?? e.Exception?.GetBaseException().Message
                    ?? e.ReasonString
                    ?? (e.Reason == MqttClientDisconnectReason.NormalDisconnection ? "closed by the broker" : e.Reason.ToString());
                disconnected.TrySetResult();
            }
        }

        return Task.CompletedTask;
    }
}
