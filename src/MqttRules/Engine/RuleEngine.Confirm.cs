using MqttRules.Actions;
using MqttRules.Actions.Publish;
using MqttRules.Expressions;
using MqttRules.Payloads;
using MqttRules.Rules;
using MqttRules.Values;

namespace MqttRules.Engine;

/// <summary>
/// Closed-loop commands: a publish with <c>confirm:</c> waits for a message on its confirmation
/// topic for which the confirmation's <c>when</c> holds; without one within <c>within</c> it is sent
/// again (event <c>retry</c>, up to <c>retries</c> times, each with a fresh wait), then the rule's
/// <c>on_unconfirmed</c> runs (event <c>unconfirmed</c>). All on the engine's clock, live or virtual.
/// </summary>
internal sealed partial class RuleEngine
{
    private readonly ConfirmationWatch confirmations = new();
    private ConfirmationJournal? confirmJournal;

    private ConfirmationJournal ConfirmJournal => confirmJournal ??= new ConfirmationJournal(options);

    /// <summary>Publishes waiting for confirmation now.</summary>
    internal int PendingConfirmations => confirmations.Count;

    /// <summary>The filters that receive the rules' confirmation topics.</summary>
    private IEnumerable<string> ConfirmFilters =>
        runtimes.SelectMany(r => r.Rule.Actions.Concat(r.Rule.OnResolve)).OfType<PublishSpec>().Where(p => p.Confirm is not null).Select(p => p.Confirm!.Filter);

    /// <summary>A publish with <c>confirm:</c> was handed on: its confirmation is awaited from now.</summary>
    private void Await(RuleRuntime rt, PublishSpec spec, PublishAction sent, EvalContext context)
    {
        var confirm = spec.Confirm!;
        var (list, index) = Locate(rt.Rule, spec);
        string topic;
        try
        {
            topic = PublishRendering.Topic(confirm.Topic, context, "confirm topic");
        }
        catch (ActionRenderException ex)
        {
            rt.ErrorCounter.Increment();
            Log.ConfirmTopicFailed(logger, rt.Rule.Id, sent.Series, ex.Message);
            return;
        }

        var pending = new PendingConfirmation
        {
            Rule = rt, Spec = confirm, List = list, Index = index, Publish = sent, Topic = topic,
            Captures = context.Captures, Due = context.Now + confirm.Within,
        };
        if (confirmations.Add(pending) is { } replaced)
        {
            Log.ConfirmationReplaced(logger, rt.Rule.Id, sent.Series, replaced.Publish.Topic);
        }

        Log.ConfirmationAwaited(logger, rt.Rule.Id, sent.Series, topic, pending.Due);
        Observe(pending, context.Now, ConfirmStep.Awaiting);
    }

    private static (string List, int Index) Locate(Rule rule, ActionSpec spec)
    {
        var index = IndexOf(rule.Actions, spec);
        return index >= 0 ? ("actions", index) : ("on_resolve", IndexOf(rule.OnResolve, spec));
    }

    private static int IndexOf(IReadOnlyList<ActionSpec> actions, ActionSpec spec)
    {
        for (var i = 0; i < actions.Count; i++)
        {
            if (ReferenceEquals(actions[i], spec))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether a confirmation waits for a message on <paramref name="topic"/> (received through one of <paramref name="via"/>).</summary>
    private bool AwaitsConfirmation(string topic, IReadOnlyList<string>? via) =>
        confirmations.On(topic) is { } waiting && (via is null || waiting.Exists(p => Contains(via, p.Spec.Filter)));

    /// <summary>A message on a confirmation topic: every confirmation waiting there whose <c>when</c> holds is confirmed.</summary>
    private void OfferConfirmation(string topic, Payload payload, IReadOnlyList<string>? via, DateTimeOffset now)
    {
        if (confirmations.On(topic) is not { } waiting)
        {
            return;
        }

        foreach (var p in waiting.ToArray())
        {
            if (via is not null && !Contains(via, p.Spec.Filter))
            {
                continue;
            }

            ctx.Reset(now, p.Rule.Zone);
            ctx.Topic = topic;
            ctx.Payload = payload;
            ctx.Captures = p.Captures;
            ctx.RuleValue = payload.DefaultValue();
            var holds = p.Spec.When is not { } when || when.EvaluateCondition(ctx) == true;
            if (holds)
            {
                Confirmed(p, now);
            }
            else
            {
                Observe(p, now, ConfirmStep.NotYet);
            }
        }
    }

    private void Confirmed(PendingConfirmation p, DateTimeOffset now)
    {
        confirmations.Remove(p);
        Metrics.Confirmation(p.RuleId, "confirmed");
        Log.Confirmed(logger, p.RuleId, p.Series, p.Topic, p.Attempts);
        Observe(p, now, ConfirmStep.Confirmed);
    }

    /// <summary>A wait ended without confirmation: send again while retries are left, else the publish is unconfirmed.</summary>
    private void OnConfirmationDue(PendingConfirmation p, DateTimeOffset due)
    {
        if (!p.RetriesLeft)
        {
            confirmations.Remove(p);
            Unconfirmed(p, due);
            return;
        }

        var again = p.Publish with
        {
            Origin = new ActionOrigin(due, p.RuleId, RuleEvent.Retry, p.Series),
            Id = ActionEmitter.ActionId(p.RuleId, p.Series, RuleEvent.Retry, due, p.Attempts),
        };
        p.Attempts++;
        confirmations.Schedule(p, due + p.Spec.Within);
        Metrics.Confirmation(p.RuleId, "retried");
        Log.ConfirmationRetried(logger, p.RuleId, p.Series, p.Topic, p.Publish.Topic, p.Attempts, p.Spec.Retries + 1);
        Observe(p, due, ConfirmStep.Retried);
        emitter.Resend(p.Rule, again);
    }

    /// <summary>
    /// The one place a publish is given up as unconfirmed: counted, logged, and the rule's
    /// <c>on_unconfirmed</c> run with the series' latest message, <c>attempts</c> and <c>confirm_topic</c>.
    /// (A hook for engine events about it belongs here.)
    /// </summary>
    private void Unconfirmed(PendingConfirmation p, DateTimeOffset at)
    {
        var rt = p.Rule;
        Metrics.Confirmation(p.RuleId, "unconfirmed");
        Log.Unconfirmed(logger, p.RuleId, p.Series, p.Topic, p.Publish.Topic, p.Attempts);
        Observe(p, at, ConfirmStep.Unconfirmed);
        if (p.Series is { } series && rt.Series.TryGetValue(series, out var st))
        {
            FillFromLast(rt, st, at);
        }
        else
        {
            ctx.Reset(at, rt.Zone);
            ctx.Captures = p.Captures;
        }

        ctx.Attempts = p.Attempts;
        ctx.ConfirmTopic = p.Topic;
        emitter.Emit(rt, rt.Rule.OnUnconfirmed, ctx, RuleEvent.Unconfirmed, p.Series);
        Report(rt, p.Series, "unconfirmed",
        [
            new("command_topic", Value.Of(p.Publish.Topic)),
            new("confirm_topic", Value.Of(p.Topic)),
            new("attempts", Value.Of(p.Attempts)),
        ]);
    }

    /// <summary>At start-up: the confirmations awaited before the stop are awaited again.</summary>
    private void RestoreConfirmations(Dictionary<string, RuleRuntime> byId, DateTimeOffset now)
    {
        var restored = 0;
        foreach (var p in ConfirmJournal.Load(byId, now))
        {
            confirmations.Add(p);
            Observe(p, now, ConfirmStep.Restored);
            restored++;
        }

        if (restored > 0)
        {
            Log.ConfirmationsRestored(logger, restored);
        }

        confirmations.Changed = false;
    }

    /// <summary>After a reload: a confirmation stays awaited while its rule keeps a publish with <c>confirm:</c> on the same topic at the same place (the new settings apply), else it is dropped.</summary>
    private void RebindConfirmations()
    {
        var byId = runtimes.ToDictionary(r => r.Rule.Id, StringComparer.Ordinal);
        foreach (var p in confirmations.All.ToArray())
        {
            var spec = byId.TryGetValue(p.RuleId, out var rt) ? PendingConfirmation.SpecAt(rt.Rule, p.List, p.Index) : null;
            if (spec is null || spec.Topic.Source != p.Spec.Topic.Source)
            {
                confirmations.Remove(p);
                Log.ConfirmationDropped(logger, p.RuleId, p.Topic);
                continue;
            }

            p.Rule = rt!;
            p.Spec = spec;
        }

        Metrics.KnowConfirmingRules(ConfirmingRules);
    }

    private IEnumerable<string> ConfirmingRules =>
        runtimes.Where(r => r.Rule.Actions.Concat(r.Rule.OnResolve).Any(a => a is PublishSpec { Confirm: not null })).Select(r => r.Rule.Id);

    private void Observe(PendingConfirmation p, DateTimeOffset at, ConfirmStep step)
    {
        if (p.Rule.Observed)
        {
            decisions!.Confirmation(p, at, step);
        }
    }
}
