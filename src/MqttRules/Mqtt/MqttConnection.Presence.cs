using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace MqttRules.Mqtt;

/// <summary>
/// The engine's presence on <see cref="MqttSettings.StatusTopic"/>: the Last Will (set in
/// <see cref="ClientOptionsFactory"/>) says <c>offline</c> when the connection dies; this says
/// <c>online</c> after every connect and <c>offline</c> before a clean disconnect.
/// </summary>
internal sealed partial class MqttConnection
{
    /// <summary>Called after every connect (first and reconnects), once <c>online</c> is out; not on the connection's thread of messages.</summary>
    public Action? AfterConnect { get; set; }

    /// <summary>Publishes the retained <c>online</c>; a failure is logged and the connection goes on (the next connect says it again).</summary>
    private async Task AnnounceAsync(string payload, CancellationToken ct)
    {
        if (settings.StatusTopic is not { } topic)
        {
            return;
        }

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag()
            .Build();
        try
        {
            var result = await client.PublishAsync(message, ct);
            if (result.IsSuccess)
            {
                ClientLog.StatusPublished(logger, topic, payload);
            }
            else
            {
                ClientLog.StatusFailed(logger, topic, payload,
                    $"the broker refused it ({result.ReasonCode}); allow this client to publish under {settings.TopicPrefix}/ or choose MQTTRULES_TOPIC_PREFIX");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            ClientLog.StatusFailed(logger, topic, payload, ex.Message);
        }
    }

    /// <summary>The retained <c>offline</c> before a clean disconnect, within the disconnect's own time limit.</summary>
    private async Task AnnounceOfflineAsync()
    {
        if (settings.StatusTopic is null || !client.IsConnected)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), clock);
        try
        {
            await AnnounceAsync(ClientOptionsFactory.StatusOffline, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            ClientLog.StatusFailed(logger, settings.StatusTopic, ClientOptionsFactory.StatusOffline, "timed out");
        }
    }
}
