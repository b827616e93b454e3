using System.Diagnostics;

namespace MqttRules.TestSupport;

/// <summary>Polls a condition until it holds; fails the test after a bound. For real peers only: engine time is a fake clock.</summary>
public static class Wait
{
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(10);

    /// <summary>Polls every 10 ms until the condition holds; fails the test after the bound.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan? bound = null, string? what = null) =>
        UntilAsync(() => Task.FromResult(condition()), bound ?? DefaultBound, what ?? "condition", TimeSpan.FromMilliseconds(10));

    /// <summary>Polls every <paramref name="period"/> until the condition holds; fails the test after <paramref name="bound"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan bound, string what, TimeSpan period)
    {
        var started = Stopwatch.StartNew();
        while (!await condition())
        {
            if (started.Elapsed > bound)
            {
                Assert.Fail($"timed out after {bound.TotalSeconds:0.#} s waiting for {what}");
            }

            await Task.Delay(period);
        }
    }
}

/// <summary>The waits of the tests against real processes: a longer bound, polled every 50 ms.</summary>
public static class Poll
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(15);

    /// <summary>Polls until <paramref name="condition"/> holds; fails the test after <paramref name="timeout"/>.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        Wait.UntilAsync(condition, timeout ?? Default, what, TimeSpan.FromMilliseconds(50));

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout);
}
