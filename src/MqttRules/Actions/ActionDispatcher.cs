using Microsoft.Extensions.Logging;
using MqttRules.Actions.Log;
using MqttRules.Actions.Publish;
using MqttRules.Diagnostics;

namespace MqttRules.Actions;

/// <summary>
/// Where each kind of action goes in <c>run</c>, decided once: publish to the MQTT publisher, log to
/// the logger, external kinds (tweet, webhook, e-mail) to <see cref="External"/> (the durable outbox;
/// null: logged as not sent). Never blocks the engine.
/// </summary>
internal sealed class ActionDispatcher(Action<PublishAction> publish, ILogger logger, EngineMetrics metrics) : IActionSink
{
    /// <summary>Where tweet/webhook/e-mail go (the outbox); null: logged as not sent.</summary>
    public IActionSink? External { get; set; }

    public void Submit(RenderedAction action)
    {
        switch (action)
        {
            case PublishAction p:
                Story(p);
                publish(p);
                break;
            case LogAction l:
                if (logger.IsEnabled(l.LogLevel))
                {
                    ActionsLog.Logged(logger, l.LogLevel, ActionText.Event(l), l.Message);
                }

                metrics.Action("log", "ok");
                break;
            case ExternalAction when External is { } outbox:
                Story(action);
                outbox.Submit(action);
                break;
            default:
                ActionsLog.NoOutbox(logger, ActionText.Event(action), ActionText.Describe(action));
                metrics.Action(action.KindText, "not_sent");
                break;
        }
    }

    private void Story(RenderedAction action)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            ActionsLog.Running(logger, ActionText.Event(action), ActionText.Describe(action));
        }
    }
}
