using MqttRules.Rules;
using Microsoft.Extensions.Logging;
using MqttRules.Actions;
using MqttRules.Actions.Tweet;
using MqttRules.Diagnostics;

namespace MqttRules.Outbox;

/// <summary>
/// Stores external actions (tweet, webhook, email) in the durable outbox on the engine thread: one
/// short SQLite write, no network. Delivery happens in <see cref="OutboxDelivery"/>. Never throws.
/// </summary>
internal sealed class OutboxSink(OutboxStore store, TimeProvider clock, ILogger logger, EngineMetrics metrics, int tweetBudget) : IActionSink
{
    /// <summary>Kinds that have an executor; others are logged as not sent.</summary>
    public ISet<ActionKind> Enabled { get; init; } = new HashSet<ActionKind> { ActionKind.Webhook };

    /// <summary>Called after each stored action (wakes the delivery loop).</summary>
    public Action? Stored { get; set; }

    public void Submit(RenderedAction action)
    {
        if (action is not ExternalAction external)
        {
            OutboxLog.NotSent(logger, action.RuleId, action.Series, action.KindText, "only external actions (tweet, webhook, email and the chat channels) go through the outbox");
            return;
        }

        var kind = action.KindText;
        if (!Enabled.Contains(action.Kind))
        {
            if (!FallThrough(external, external.MissingSetup()))
            {
                NotConfigured(external, kind);
            }

            return;
        }

        try
        {
            var now = clock.GetUtcNow();
            bool? added = external is TweetAction ? store.AddTweet(external, now, tweetBudget) : store.Add(external, now);
            if (added is null && FallThrough(external, $"over the budget of {tweetBudget} tweets per 24 h"))
            {
                return;
            }

            if (added is null)
            {
                OutboxLog.OverBudget(logger, action.RuleId, action.Series, tweetBudget, (external as TweetAction)?.Text);
                metrics.Action(kind, "over_budget");
                return;
            }

            if (added == true)
            {
                metrics.Action(kind, "queued");
                Stored?.Invoke();
            }
        }
        catch (Exception ex)
        {
            OutboxLog.StoreFailed(logger, ex, action.RuleId, action.Series, kind);
            metrics.Action(kind, "store_failed");
        }
    }

    /// <summary>Hands the alert to the notifier's next channel, if it has one; false when it has none.</summary>
    private bool FallThrough(ExternalAction action, string reason)
    {
        if (action.NextChannel() is not { } next)
        {
            return false;
        }

        FallbackLog.FellThrough(logger, action.RuleId, action.Series, action.Notifier, action.KindText, reason, next.KindText);
        metrics.Action(action.KindText, "fell_through");
        Submit(next);
        return true;
    }

    private void NotConfigured(ExternalAction action, string kind)
    {
        if (action is TweetAction tweet)
        {
            OutboxLog.TweetNotSent(logger, action.RuleId, action.Series, tweet.Text);
        }
        else
        {
            OutboxLog.NotSent(logger, action.RuleId, action.Series, kind, action.MissingSetup());
        }

        metrics.Action(kind, "not_sent");
    }
}
