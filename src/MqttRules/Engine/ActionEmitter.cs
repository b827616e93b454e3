using Microsoft.Extensions.Logging;
using MqttRules.Actions;
using MqttRules.Diagnostics;
using MqttRules.Expressions;
using MqttRules.Lifecycle;
using MqttRules.Rules;

namespace MqttRules.Engine;

/// <summary>
/// Renders a rule's actions for an event and hands them to the sink; one failing action never
/// stops the others. A template hole that cannot be evaluated renders empty (null as a whole JSON
/// value) and is reported; a payload or body that is nothing but such a hole skips only its own
/// action. A sink that throws loses only that action: counted as an action error and logged.
/// </summary>
internal sealed class ActionEmitter(IActionSink sink, EngineMetrics metrics, EvaluationErrorLog errors, ILogger logger)
{
    /// <summary>Told of every publish with <c>confirm:</c> handed on, with the context it was rendered in.</summary>
    public Action<RuleRuntime, PublishSpec, Actions.Publish.PublishAction, EvalContext>? Confirmable { get; set; }

    /// <summary>Mutes of notifiers (a muted notifier's <c>notify</c> actions are held); null: none.</summary>
    public LifecycleState? Mutes { get; set; }

    /// <summary>Returns how many actions were handed on or held back (<paramref name="hold"/>, a muted notifier).</summary>
    /// <param name="hold">Why the notifications among the actions are held back (publish and log still run), or null.</param>
    /// <param name="notificationsOnly">Only the notifications run (a flapping series that settled announces its state).</param>
    public int Emit(RuleRuntime rt, IReadOnlyList<ActionSpec> actions, EvalContext context, RuleEvent ev, string? series,
        HoldReason? hold = null, bool notificationsOnly = false)
    {
        Log.RuleEvent(logger, rt.Rule.Id, RenderedAction.EventName(ev), series);
        var submitted = 0;
        for (var i = 0; i < actions.Count; i++)
        {
            var spec = actions[i];
            var notification = HoldReasons.IsNotification(spec.Kind);
            if (notificationsOnly && !notification)
            {
                continue;
            }

            if (notification && (hold ?? NotifierMuted(spec, context.Now)) is { } reason)
            {
                metrics.NotificationHeld(reason);
                LifecycleLog.Held(logger, rt.Rule.Id, series, RenderedAction.KindName(spec.Kind), HoldReasons.Name(reason));
                submitted++;
                continue;
            }

            if (Render(rt, spec, i, context, ev, series) is not { } rendered || !Submit(rt, rendered, i, series))
            {
                continue;
            }

            submitted++;
            if (spec is PublishSpec { Confirm: not null } publish && rendered is Actions.Publish.PublishAction sent)
            {
                Confirmable?.Invoke(rt, publish, sent, context);
            }
        }

        return submitted;
    }

    /// <summary>Hands on an action already rendered (a publish sent again); false when handing it on failed.</summary>
    public bool Resend(RuleRuntime rt, RenderedAction action)
    {
        Log.RuleEvent(logger, rt.Rule.Id, RenderedAction.EventName(action.Event), action.Series);
        return Submit(rt, action, 0, action.Series);
    }

    private HoldReason? NotifierMuted(ActionSpec spec, DateTimeOffset now) =>
        Mutes is { } state && spec is NotifySpec notify && state.MutedUntil(LifecycleKind.MuteNotifier, notify.Notifier, now) is not null
            ? HoldReason.Muted
            : null;

    /// <summary>
    /// The idempotency key of an action: the same rule, series, event, time and position always
    /// give the same key, so an event evaluated again after a crash is not delivered twice.
    /// </summary>
    public static string ActionId(string ruleId, string? series, RuleEvent ev, DateTimeOffset time, int index) =>
        ActionIds.Derive(ruleId, series, ev, time, index);

    /// <summary>The action rendered, with its idempotency key; null when it cannot run.</summary>
    private RenderedAction? Render(RuleRuntime rt, ActionSpec spec, int index, EvalContext context, RuleEvent ev, string? series)
    {
        context.MissingHole = null;
        RenderedAction rendered;
        try
        {
            // each_message runs carry no idempotency key: two messages may share series and time.
            rendered = ActionRenderer.Render(spec, context, rt.Rule.Id, ev, series, ev == RuleEvent.Message ? null : index);
        }
        catch (UnevaluatedContentException ex)
        {
            errors.Report(rt, series, EvaluationFailure.HoleSkipped, ex.Hole);
            return null;
        }
        catch (ActionRenderException ex)
        {
            metrics.Action(RenderedAction.KindName(spec.Kind), "error");
            Log.ActionRenderFailed(logger, rt.Rule.Id, series, index + 1, RenderedAction.KindName(spec.Kind), ex.Message);
            return null;
        }

        if (context.MissingHole is { } hole)
        {
            errors.Report(rt, series, EvaluationFailure.HoleEmpty, hole);
        }

        return rendered;
    }

    private bool Submit(RuleRuntime rt, RenderedAction rendered, int index, string? series)
    {
        try
        {
            sink.Submit(rendered);
            return true;
        }
        catch (Exception ex)
        {
            var kind = RenderedAction.KindName(rendered.Kind);
            metrics.Action(kind, "error");
            Log.ActionSubmitFailed(logger, ex, rt.Rule.Id, series, index + 1, kind);
            return false;
        }
    }
}
