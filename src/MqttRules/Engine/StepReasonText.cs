using System.Globalization;

namespace MqttRules.Engine;

/// <summary>A <see cref="StepReason"/> and <see cref="EvaluationFailure"/> as a code and as a sentence, for decisions.</summary>
internal static class StepReasonText
{
    public static string Code(StepReason reason) => reason switch
    {
        StepReason.ConditionFalse => "condition_false",
        StepReason.ConditionHeld => "condition_held",
        StepReason.HeldByFor => "held_by_for",
        StepReason.ForElapsed => "for_elapsed",
        StepReason.ConditionEnded => "condition_ended",
        StepReason.HeldByCooldown => "held_by_cooldown",
        StepReason.CooldownEnded => "cooldown_ended",
        StepReason.StillHolds => "still_holds",
        StepReason.ClearNotMet => "clear_not_met",
        StepReason.ClearUndecided => "clear_undecided",
        StepReason.Cleared => "cleared",
        StepReason.Repeat => "repeat",
        StepReason.AbsentWatch => "absent_watch",
        StepReason.Returned => "returned",
        StepReason.Silence => "silence",
        StepReason.SilenceWhileDown => "silence_while_down",
        StepReason.Restored => "restored",
        _ => "timer_ignored",
    };

    public static string Sentence(StepReason reason, DateTimeOffset? until) => reason switch
    {
        StepReason.ConditionFalse => "the condition does not hold: nothing to do",
        StepReason.ConditionHeld => "the condition holds and nothing holds it back: the rule fires",
        StepReason.HeldByFor => $"the condition holds; 'for' is still pending until {At(until)}",
        StepReason.ForElapsed => "the condition held for the whole 'for': the rule fires",
        StepReason.ConditionEnded => "the condition stopped holding before 'for' passed: back to idle, nothing fired",
        StepReason.HeldByCooldown => $"a fire is held back by 'cooldown' until {At(until)}",
        StepReason.CooldownEnded => "the cooldown that held the fire back has ended: the rule fires",
        StepReason.StillHolds => "the rule is firing (or its fire is held back) and the condition still holds",
        StepReason.ClearNotMet => "'clear' is not met (hysteresis): the rule stays as it is although 'when' may no longer hold",
        StepReason.ClearUndecided => "'clear' is neither true nor false: the series stays as it is",
        StepReason.Cleared => "the condition no longer holds (or 'clear' is met): back to idle",
        StepReason.Repeat => $"still firing after 'repeat': the actions run again; next repeat at {At(until)}",
        StepReason.AbsentWatch => $"a message arrived: the silence watch runs until {At(until)}",
        StepReason.Returned => "a message arrived after the silence: the rule resolves",
        StepReason.Silence => "no message for 'absent': the rule fires",
        StepReason.SilenceWhileDown => "the silence ended while the engine was down: the rule fires now",
        StepReason.Restored => "restored from the state file as saved",
        _ => "a timer came due in a phase that waits for none: nothing to do",
    };

    public static string Code(EvaluationFailure failure) => failure switch
    {
        EvaluationFailure.ValueMissing => "value_missing",
        EvaluationFailure.ValueNotNumber => "value_not_number",
        EvaluationFailure.WhenUndecided => "when_undecided",
        EvaluationFailure.ClearUndecided => "clear_undecided",
        _ => "crashed",
    };

    public static string Event(StepEvent ev) => ev switch
    {
        StepEvent.Fire => "fire",
        StepEvent.Resolve => "resolve",
        StepEvent.Repeat => "repeat",
        StepEvent.Message => "message",
        _ => "none",
    };

    public static string Phase(State.Phase phase) => phase switch
    {
        State.Phase.Pending => "pending",
        State.Phase.HeldBack => "held_back",
        State.Phase.Firing => "firing",
        _ => "idle",
    };

    public static string At(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : "(unknown)";
}
