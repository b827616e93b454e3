using System.Text;

namespace MqttRules.Diagnostics;

/// <summary>Engine events (<c>MQTTRULES_EVENTS</c>): sent, and dropped while the broker was away too long.</summary>
public sealed partial class EngineMetrics
{
    private long engineEventsSent;
    private long engineEventsDropped;

    public void EngineEventSent() => Interlocked.Increment(ref engineEventsSent);

    public void EngineEventDropped() => Interlocked.Increment(ref engineEventsDropped);

    private void AppendPresence(StringBuilder sb)
    {
        Scalar(sb, "mqttrules_engine_events_total", "counter", "Engine events published on P/events/<rule> (MQTTRULES_EVENTS).", Interlocked.Read(ref engineEventsSent));
        Scalar(sb, "mqttrules_engine_events_dropped_total", "counter", "Engine events dropped because too many waited for the broker.", Interlocked.Read(ref engineEventsDropped));
    }
}
