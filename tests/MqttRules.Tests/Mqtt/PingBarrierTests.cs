using Microsoft.Extensions.Time.Testing;
using MqttRules.Mqtt;

namespace MqttRules.Tests.Mqtt;

/// <summary>
/// Issue 10.1: a QoS 0 publish counts as delivered once the broker answered a ping written after
/// it. In a flood the pings are coalesced, one per round trip, not one per publish; with a gathering
/// window (the live connection's), one per window at a steady rate.
/// </summary>
public sealed class PingBarrierTests
{
    /// <summary>A connection whose PINGRESPs arrive when the test says so.</summary>
    private sealed class Pings
    {
        private readonly List<TaskCompletionSource> sent = [];

        public int Count
        {
            get
            {
                lock (sent)
                {
                    return sent.Count;
                }
            }
        }

        public Task PingAsync(CancellationToken ct)
        {
            var response = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (sent)
            {
                sent.Add(response);
            }

            return response.Task;
        }

        public void Respond(int ping) => Get(ping).SetResult();

        public void Fail(int ping, Exception ex) => Get(ping).SetException(ex);

        private TaskCompletionSource Get(int ping)
        {
            lock (sent)
            {
                return sent[ping];
            }
        }
    }

    [Fact]
    public async Task Publishes_CompleteOnTheResponseToAPingWrittenAfterThem_OnePingPerRoundTrip()
    {
        var pings = new Pings();
        var barrier = new PingBarrier(pings.PingAsync);

        var lone = barrier.WaitAsync();
        Assert.Equal(1, pings.Count);                      // ping 0 leaves right after the publish

        var flood = Enumerable.Range(0, 200).Select(_ => barrier.WaitAsync()).ToList();
        Assert.Equal(1, pings.Count);                      // written while ping 0 is out: they wait for one more
        Assert.False(lone.IsCompleted);
        Assert.DoesNotContain(flood, t => t.IsCompleted);

        pings.Respond(0);
        await lone.WaitAsync(TimeSpan.FromSeconds(10));
        await Poll(() => pings.Count == 2);                // ping 1 leaves at once, for all two hundred
        Assert.DoesNotContain(flood, t => t.IsCompleted);

        pings.Respond(1);
        await Task.WhenAll(flood).WaitAsync(TimeSpan.FromSeconds(10));

        // Nobody waiting: no further ping; the next publish starts one again.
        Assert.Equal(2, pings.Count);
        var next = barrier.WaitAsync();
        await Poll(() => pings.Count == 3);
        pings.Respond(2);
        await next.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ConnectionLostBeforeTheResponse_FailsEveryPublishWaitingForIt_TheNextOnesGetANewPing()
    {
        var pings = new Pings();
        var barrier = new PingBarrier(pings.PingAsync);
        var lone = barrier.WaitAsync();
        var flood = Enumerable.Range(0, 5).Select(_ => barrier.WaitAsync()).ToList();

        pings.Fail(0, new InvalidOperationException("connection closed"));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => lone.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("connection closed", ex.Message);

        // Written after ping 0 left, they are not judged by it: ping 1 decides.
        await Poll(() => pings.Count == 2);
        Assert.DoesNotContain(flood, t => t.IsCompleted);
        pings.Fail(1, new InvalidOperationException("still closed"));
        foreach (var t in flood)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => t.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        var after = barrier.WaitAsync();
        await Poll(() => pings.Count == 3);
        pings.Respond(2);
        await after.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Gathering_OnePingPerWindow_ForEveryoneWhoCameInIt()
    {
        var pings = new Pings();
        var clock = new FakeTimeProvider();
        var window = TimeSpan.FromMilliseconds(50);
        var barrier = new PingBarrier(pings.PingAsync, window, clock);

        // A steady stream of alerts, 10 ms apart: nothing leaves until the window is over.
        var first = new List<Task>();
        for (var i = 0; i < 5; i++)
        {
            first.Add(barrier.WaitAsync());
            clock.Advance(TimeSpan.FromMilliseconds(10) - (i == 4 ? TimeSpan.FromTicks(1) : TimeSpan.Zero));
        }

        Assert.Equal(0, pings.Count);
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, pings.Count); // one ping for all five

        // Those who come while it is out wait for the next window, which starts when it returns.
        var second = barrier.WaitAsync();
        pings.Respond(0);
        await Task.WhenAll(first).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(second.IsCompleted);
        var waited = await AdvanceUntil(clock, () => pings.Count == 2);
        Assert.True(waited >= window, $"the next ping left {waited.TotalMilliseconds} ms after the last answer");
        pings.Respond(1);
        await second.WaitAsync(TimeSpan.FromSeconds(10));

        // Quiet: no ping without a waiter.
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, pings.Count);
    }

    [Fact]
    public async Task Gathering_AFailedPing_FailsThoseItWasFor_AndTheNextWindowPingsAgain()
    {
        var pings = new Pings();
        var clock = new FakeTimeProvider();
        var barrier = new PingBarrier(pings.PingAsync, TimeSpan.FromMilliseconds(50), clock);

        var lost = barrier.WaitAsync();
        clock.Advance(TimeSpan.FromMilliseconds(50));
        pings.Fail(0, new InvalidOperationException("connection closed"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => lost.WaitAsync(TimeSpan.FromSeconds(10)));

        var later = barrier.WaitAsync();
        Assert.True(await AdvanceUntil(clock, () => pings.Count == 2) >= TimeSpan.FromMilliseconds(50));
        pings.Respond(1);
        await later.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// Moves the clock on a millisecond at a time until <paramref name="condition"/> holds; returns
    /// how far (the barrier arms its window on a thread of its own once a ping returns).
    /// </summary>
    private static async Task<TimeSpan> AdvanceUntil(FakeTimeProvider clock, Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var waited = TimeSpan.Zero;
        while (!condition())
        {
            clock.Advance(TimeSpan.FromMilliseconds(1));
            waited += TimeSpan.FromMilliseconds(1);
            await Task.Delay(1, timeout.Token);
        }

        return waited;
    }

    private static async Task Poll(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Yield();
            timeout.Token.ThrowIfCancellationRequested();
        }
    }
}
