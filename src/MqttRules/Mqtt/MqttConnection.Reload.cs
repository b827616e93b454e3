using MQTTnet;

namespace MqttRules.Mqtt;

/// <summary>Subscriptions that follow a reload of the rules, without a gap.</summary>
internal sealed partial class MqttConnection
{
    /// <summary>
    /// Subscribes <paramref name="filters"/> in place of <see cref="Filters"/>: the new
    /// subscriptions first, then the old ones no longer wanted are unsubscribed, so a message of
    /// a filter both want is never missed. Copies the broker sent for an old subscription still
    /// reach the rules of its filters. While disconnected, the next connect subscribes them.
    /// </summary>
    public async Task ResubscribeAsync(IReadOnlyList<string> filters, CancellationToken ct)
    {
        var old = plan;
        var withIds = planWithIds;
        if (filters.ToHashSet(StringComparer.Ordinal).SetEquals(Filters))
        {
            return;
        }

        Filters = filters;
        if (old is null || !IsConnected)
        {
            plan = null;
            return;
        }

        var next = Plan(withIds, replan: true);
        var before = old.Filters.ToHashSet(StringComparer.Ordinal);
        var after = next.Filters.ToHashSet(StringComparer.Ordinal);

        // MQTT 5 re-subscribes everything (identifiers may change; retained messages are not sent
        // again for a subscription the session has); 3.1.1 would re-send them, so only new filters.
        foreach (var packet in next.Packets)
        {
            var packetToSend = withIds ? packet : packet with { Filters = packet.Filters.Where(f => !before.Contains(f)).ToArray() };
            if (packetToSend.Filters.Count > 0)
            {
                await SubscribeAsync(packetToSend, ct);
            }
        }

        var gone = before.Where(f => !after.Contains(f)).ToArray();
        if (gone.Length > 0)
        {
            var builder = new MqttClientUnsubscribeOptionsBuilder();
            foreach (var f in gone)
            {
                builder.WithTopicFilter(f);
            }

            await client.UnsubscribeAsync(builder.Build(), ct);
        }

        ClientLog.Resubscribed(logger, string.Join(", ", after.Where(f => !before.Contains(f))), string.Join(", ", gone));
    }
}
