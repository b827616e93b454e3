namespace MqttRules.Engine;

/// <summary>
/// Why a step of a series' state machine decided what it did, small enough to keep per decision
/// (an <c>explain</c> or a decision trace shows it with <see cref="StepDecision.Until"/>).
/// </summary>
internal enum StepReason : byte
{
    /// <summary>Idle and <c>when</c> does not hold: nothing to do.</summary>
    ConditionFalse,

    /// <summary><c>when</c> holds and nothing holds it back: fire (each_message: run).</summary>
    ConditionHeld,

    /// <summary><c>when</c> holds, held back by <c>for:</c> until <see cref="StepDecision.Until"/>.</summary>
    HeldByFor,

    /// <summary><c>when</c> held for the whole <c>for:</c>: fire.</summary>
    ForElapsed,

    /// <summary><c>when</c> stopped holding before <c>for:</c> passed: back to idle, nothing fired.</summary>
    ConditionEnded,

    /// <summary>A fire (or each_message run) held back by <c>cooldown:</c> until <see cref="StepDecision.Until"/>.</summary>
    HeldByCooldown,

    /// <summary>The cooldown that held a fire back has ended: fire.</summary>
    CooldownEnded,

    /// <summary>Firing (or held back) and <c>when</c> still holds.</summary>
    StillHolds,

    /// <summary>Firing (or held back) and <c>clear</c> is not met (hysteresis).</summary>
    ClearNotMet,

    /// <summary><c>clear</c> gave no true/false: the series stays as it is.</summary>
    ClearUndecided,

    /// <summary><c>when</c> no longer holds, or <c>clear</c> is met: back to idle (a resolve if it had fired).</summary>
    Cleared,

    /// <summary>Still firing after <c>repeat:</c>: the actions run again; the next repeat is at <see cref="StepDecision.Until"/>.</summary>
    Repeat,

    /// <summary>An <c>absent:</c> rule saw a message: the silence watch runs until <see cref="StepDecision.Until"/>.</summary>
    AbsentWatch,

    /// <summary>An <c>absent:</c> rule that had fired saw a message again: resolve.</summary>
    Returned,

    /// <summary>No message for <c>absent:</c>: fire.</summary>
    Silence,

    /// <summary>Restored at start-up: the silence of an <c>absent:</c> rule ended while the engine was down, so it fires now.</summary>
    SilenceWhileDown,

    /// <summary>Restored at start-up as saved.</summary>
    Restored,

    /// <summary>A timer came due in a phase that waits for none (nothing to do).</summary>
    TimerIgnored,
}
