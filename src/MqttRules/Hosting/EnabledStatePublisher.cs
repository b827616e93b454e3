using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MqttRules.Mqtt;

namespace MqttRules.Hosting;

/// <summary>
/// Publishes each rule's state as retained <c>P/rules/&lt;rule&gt;/enabled</c> (<c>ON</c>/<c>OFF</c>; empty
/// for a rule removed by a reload) at start and on every change, and follows a rule switched on or
/// off with the subscriptions. The engine thread only queues; this task waits for the broker.
/// </summary>
internal sealed class EnabledStatePublisher(MqttConnection connection, EngineLoop loop, string prefix, TimeProvider clock, ILogger log)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    // RuleId null: resubscribe (a rule was switched on or off).
    private readonly Channel<(string? RuleId, bool? Enabled)> work = Channel.CreateUnbounded<(string?, bool?)>(new() { SingleReader = true });

    /// <summary>A rule's state changed (null: removed); called on the engine thread.</summary>
    public void Changed(string ruleId, bool? enabled) => work.Writer.TryWrite((ruleId, enabled));

    /// <summary>The rules in force changed: the subscriptions follow.</summary>
    public void SubscriptionsChanged() => work.Writer.TryWrite((null, null));

    public static string Topic(string prefix, string ruleId) => $"{prefix}/rules/{ruleId}/enabled";

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var (ruleId, enabled) in work.Reader.ReadAllAsync(ct))
            {
                try
                {
                    await HandleAsync(ruleId, enabled, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One failed publish or subscribe never ends the others (logged; the next change tries again).
                    Lifecycle.LifecycleLog.EnabledStateNotPublished(log, ruleId is null ? "(subscriptions)" : Topic(prefix, ruleId), ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task HandleAsync(string? ruleId, bool? enabled, CancellationToken ct)
    {
        if (ruleId is null)
        {
            var filters = await loop.OnEngineThreadAsync(e => e.Subscriptions, ct);
            await connection.ResubscribeAsync(filters, ct);
        }
        else
        {
            await PublishAsync(Topic(prefix, ruleId), enabled is null ? "" : enabled.Value ? "ON" : "OFF", ct);
        }
    }

    private async Task PublishAsync(string topic, string payload, CancellationToken ct)
    {
        if (Topics.TopicFilters.CheckTopicName(topic) is { } problem)
        {
            Lifecycle.LifecycleLog.EnabledStateNotPublished(log, topic, problem);
            return;
        }

        while (true)
        {
            try
            {
                await connection.WaitConnectedAsync(ct);
                await connection.PublishAsync(topic, Encoding.UTF8.GetBytes(payload), 1, retain: true, ct);
                return;
            }
            catch (MqttNotConnectedException)
            {
                await Task.Delay(RetryDelay, clock, ct);
            }
            catch (MqttPublishRefusedException ex)
            {
                Lifecycle.LifecycleLog.EnabledStateNotPublished(log, topic, ex.Message);
                return;
            }
        }
    }
}
