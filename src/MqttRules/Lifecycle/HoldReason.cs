namespace MqttRules.Lifecycle;

/// <summary>Why a rule's notifications (its external actions) were held back instead of sent.</summary>
public enum HoldReason
{
    /// <summary>The rule, or the notifier of a <c>notify</c>, is muted at run time.</summary>
    Muted,

    /// <summary>The series flaps (<c>flap:</c>).</summary>
    Flapping,

    /// <summary>A repeat of a series that was acknowledged.</summary>
    Acknowledged,
}

internal static class HoldReasons
{
    public static readonly HoldReason[] All = [HoldReason.Muted, HoldReason.Flapping, HoldReason.Acknowledged];

    public static string Name(HoldReason reason) => reason switch
    {
        HoldReason.Muted => "muted",
        HoldReason.Flapping => "flapping",
        _ => "acknowledged",
    };

    /// <summary>
    /// Whether an action is a notification that mute, flapping and acknowledgement hold back: every
    /// kind but <c>publish</c> (switching things) and <c>log</c>, which always run.
    /// </summary>
    public static bool IsNotification(Rules.ActionKind kind) => kind is not (Rules.ActionKind.Publish or Rules.ActionKind.Log);
}
