using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace MqttRules.TestSupport;

/// <summary>Moves a <see cref="FakeTimeProvider"/> on while background work (retries, polls) waits on it.</summary>
public static class FakeClockDriver
{
    /// <summary>
    /// Advances the clock by <paramref name="step"/> at a time, letting background tasks run in between,
    /// until the condition holds; fails the test after a real-time bound (10 s unless told).
    /// </summary>
    public static async Task AdvanceUntilAsync(this FakeTimeProvider clock, Func<bool> condition, TimeSpan step, string what, TimeSpan? bound = null)
    {
        var limit = bound ?? Wait.DefaultBound;
        var started = Stopwatch.StartNew();
        while (!condition())
        {
            if (started.Elapsed > limit)
            {
                Assert.Fail($"timed out after {limit.TotalSeconds:0.#} s waiting for {what} (fake clock at {clock.GetUtcNow():O})");
            }

            clock.Advance(step);
            await Task.Delay(5);
        }
    }

    /// <summary>Completes <paramref name="task"/> that waits on the clock (a stop with a timeout), advancing the clock by <paramref name="step"/> until it is done.</summary>
    public static async Task AdvanceUntilDoneAsync(this FakeTimeProvider clock, Task task, TimeSpan step, string what)
    {
        await clock.AdvanceUntilAsync(() => task.IsCompleted, step, what);
        await task;
    }
}
