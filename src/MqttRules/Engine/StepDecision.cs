using MqttRules.State;

namespace MqttRules.Engine;

/// <summary>The event a step produces, if any.</summary>
internal enum StepEvent : byte
{
    None,

    /// <summary>The rule fires: its actions run.</summary>
    Fire,

    /// <summary>A fired series resolves: its <c>on_resolve</c> actions run.</summary>
    Resolve,

    /// <summary>A firing series repeats: its actions run again.</summary>
    Repeat,

    /// <summary>
    /// An each_message run: the actions run for this message. Its <see cref="StepDecision.Next"/>
    /// state (the start of a cooldown) counts only when at least one action ran.
    /// </summary>
    Message,
}

/// <summary>How soon a decision's new state must be saved.</summary>
internal enum StepSave : byte
{
    /// <summary>Nothing worth saving changed.</summary>
    None,

    /// <summary>Saved with the next periodic flush.</summary>
    Later,

    /// <summary>A transition: saved before the next message is taken.</summary>
    Urgent,
}

/// <summary>Where one series stands, as the state machine reads and decides it.</summary>
internal readonly record struct SeriesPoint(
    Phase Phase,
    DateTimeOffset? Since = null,
    DateTimeOffset? LastFire = null,
    DateTimeOffset? Due = null,
    DateTimeOffset? LastSeen = null)
{
    public static SeriesPoint Of(SeriesState st) => new(st.Phase, st.Since, st.LastFire, st.Due, st.LastSeen);

    public void WriteTo(SeriesState st)
    {
        st.Phase = Phase;
        st.Since = Since;
        st.LastFire = LastFire;
        st.Due = Due;
        st.LastSeen = LastSeen;
    }
}

/// <summary>
/// What one step of a series' state machine decided: the state to move to, the event to run,
/// how urgently to save, whether to set the series' timer to <see cref="SeriesPoint.Due"/>, and
/// why (<see cref="Reason"/>, with <see cref="Until"/> when something is held back or waits).
/// </summary>
/// <param name="Duration">Seconds the condition has held (absent: since the last message), for the event's <c>duration</c>.</param>
internal readonly record struct StepDecision(
    SeriesPoint Next,
    StepEvent Event,
    StepReason Reason,
    DateTimeOffset? Until = null,
    StepSave Save = StepSave.None,
    bool SetsTimer = false,
    double Duration = 0);
