using System.Diagnostics;

namespace MqttRules.Hosting;

/// <summary>
/// A one-shot timer for waits of a few milliseconds (the group commit's window), on a thread of its
/// own. .NET's timers count time with <see cref="Environment.TickCount64"/>, which on Linux reads a
/// coarse clock (4 ms steps on common kernels): a 5 ms timer then wakes the timer thread every
/// millisecond until the coarse clock has caught up, three or four wake-ups for one firing, at every
/// message of a quiet house. This one waits for the exact remaining time (<see cref="Stopwatch"/>):
/// one wake-up per firing, none while disarmed. <paramref name="fire"/> runs on the timer's thread.
/// </summary>
internal sealed class PreciseTimer(Action fire, string name)
{
    private static readonly long Never = long.MaxValue;

    private readonly object gate = new();
    private long due = Never;      // Stopwatch timestamp of the next firing; Never: disarmed
    private long waitingFor = Never; // what the thread sleeps until right now (Never: until woken)
    private bool disposed;
    private Thread? thread;

    /// <summary>Fires once, <paramref name="delay"/> from now (replacing an earlier arming).</summary>
    public void Change(TimeSpan delay)
    {
        var at = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            due = at;
            if (thread is null)
            {
                thread = new Thread(Run) { IsBackground = true, Name = name };
                thread.Start();
            }
            else if (at < waitingFor)
            {
                Monitor.Pulse(gate); // sleeping longer than that (or until woken): wake it to sleep less
            }
        }
    }

    /// <summary>Disarms it for good and lets its thread end.</summary>
    public void Stop()
    {
        lock (gate)
        {
            disposed = true;
            Monitor.Pulse(gate);
        }
    }

    private void Run()
    {
        while (true)
        {
            lock (gate)
            {
                while (true)
                {
                    if (disposed)
                    {
                        return;
                    }

                    var left = due == Never ? Never : due - Stopwatch.GetTimestamp();
                    if (left <= 0)
                    {
                        due = Never;
                        waitingFor = Never;
                        break;
                    }

                    waitingFor = due;
                    if (left == Never)
                    {
                        Monitor.Wait(gate);
                    }
                    else
                    {
                        // Whole milliseconds, rounded up: never before it is due.
                        Monitor.Wait(gate, (int)Math.Min(int.MaxValue, ((left * 1000) + Stopwatch.Frequency - 1) / Stopwatch.Frequency));
                    }
                }
            }

            fire();
        }
    }
}
