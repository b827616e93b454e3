using System.Globalization;
using System.Text;

namespace MqttRules.Diagnostics;

public sealed partial class EngineMetrics
{
    // muted, flapping, acknowledged: see Lifecycle/HoldReason.cs.
    private readonly long[] held = new long[3];

    /// <summary>Counts a notification held back (not sent) for <paramref name="reason"/>.</summary>
    internal void NotificationHeld(Lifecycle.HoldReason reason) => Interlocked.Increment(ref held[(int)reason]);

    /// <summary>Notifications held back for <paramref name="reason"/> so far.</summary>
    public long NotificationsHeld(Lifecycle.HoldReason reason) => Interlocked.Read(ref held[(int)reason]);

    private void AppendLifecycle(StringBuilder sb)
    {
        sb.Append("# HELP mqttrules_notifications_held_total Notifications (external actions) not sent because their rule or notifier was muted, their series was flapping, or their repeat was acknowledged.\n# TYPE mqttrules_notifications_held_total counter\n");
        foreach (var reason in Lifecycle.HoldReasons.All)
        {
            sb.Append(CultureInfo.InvariantCulture, $"mqttrules_notifications_held_total{{reason=\"{Lifecycle.HoldReasons.Name(reason)}\"}} {NotificationsHeld(reason)}\n");
        }
    }
}
