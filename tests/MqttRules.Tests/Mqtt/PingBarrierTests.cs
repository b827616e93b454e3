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
    public async Task Gathering_APublishAfterTheWindow_TakesEveryoneSinceTheLastPingAlong_NoTimer()
    {
        var (pings, clock, barrier) = Gathering();

        var first = barrier.WaitAsync();
        Assert.Equal(1, pings.Count); // the first one pings at once
        pings.Respond(0);
        await first.WaitAsync(TimeSpan.FromSeconds(10));

        // A steady stream of alerts, 10 ms apart: the ones inside the window wait ...
        var waiting = new List<Task>();
        for (var i = 0; i < 4; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(10));
            waiting.Add(barrier.WaitAsync());
        }

        Assert.Equal(1, pings.Count);
        Assert.DoesNotContain(waiting, t => t.IsCompleted);

        // ... until the first one after it, whose ping answers all five.
        clock.Advance(TimeSpan.FromMilliseconds(10));
        var fifth = barrier.WaitAsync();
        Assert.Equal(2, pings.Count);
        pings.Respond(1);
        await Task.WhenAll([.. waiting, fifth]).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Gathering_NobodyTakesThemAlong_TheTimerPingsWithinLatest_ThenStops()
    {
        var (pings, clock, barrier) = Gathering();

        await PingedOnceAsync(barrier, pings);

        clock.Advance(TimeSpan.FromMilliseconds(10));
        var last = barrier.WaitAsync(); // the last alert before a quiet spell
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(1, pings.Count);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, pings.Count);
        pings.Respond(1);
        await last.WaitAsync(TimeSpan.FromSeconds(10));

        // Quiet: the timer finds nobody and stops; no more pings.
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, pings.Count);
    }

    /// <summary>
    /// A flood: the publisher (LiveActionSink) stops sending while its window of publishes waits for
    /// their proof, so no publish comes after the gathering window to take them along; they are
    /// <see cref="PingBarrier.Enough"/> and get their ping at once (the clock never moves here: the
    /// timer never fires). The first build of the gathering waited for the timer: 1,100 alerts/s in a
    /// flood instead of 50,000.
    /// </summary>
    [Fact]
    public async Task Gathering_AFloodHeldByThePublishersWindow_NeverWaitsForTheTimer()
    {
        var clock = new FakeTimeProvider();
        var pings = 0;
        var barrier = new PingBarrier(ct => { Interlocked.Increment(ref pings); return Task.Delay(1, ct); }, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1), clock);

        var window = new Queue<Task>();
        for (var i = 0; i < 10_000; i++)
        {
            while (window.Count >= 100)
            {
                await window.Dequeue().WaitAsync(TimeSpan.FromSeconds(10));
            }

            window.Enqueue(barrier.WaitAsync());
        }

        await Task.WhenAll(window).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.InRange(pings, 2, (10_000 / PingBarrier.Enough) + 2);
    }

    /// <summary>
    /// A publish sent again alone after the connection came back: the publisher makes no other until
    /// it is proved, so it hurries the ping (found with a kill in a flood: each publish resent after
    /// the restart waited for the one-second timer).
    /// </summary>
    [Fact]
    public async Task Gathering_Hurry_PingsAtOnce_OrRightAfterTheOneInFlight_OrForTheNextWaiter()
    {
        var (pings, clock, barrier) = Gathering();

        await PingedOnceAsync(barrier, pings);

        var alone = barrier.WaitAsync(); // inside the window: would wait
        Assert.Equal(1, pings.Count);
        barrier.Hurry();
        await Poll(() => pings.Count == 2); // at once (or right after ping 0 is done with)

        var behind = barrier.WaitAsync(); // while ping 1 is out
        barrier.Hurry();
        pings.Respond(1);
        await alone.WaitAsync(TimeSpan.FromSeconds(10));
        await Poll(() => pings.Count == 3); // right after ping 1, no window, no timer
        pings.Respond(2);
        await behind.WaitAsync(TimeSpan.FromSeconds(10));

        barrier.Hurry(); // before the publish: its wait pings at once (or right after ping 2 is done with)
        var next = barrier.WaitAsync();
        await Poll(() => pings.Count == 4);
        pings.Respond(3);
        await next.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Gathering_AFailedPing_FailsThoseItWasFor_TheNextOnesGetANewOne()
    {
        var (pings, clock, barrier) = Gathering();

        var lost = barrier.WaitAsync();
        pings.Fail(0, new InvalidOperationException("connection closed"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => lost.WaitAsync(TimeSpan.FromSeconds(10)));

        clock.Advance(TimeSpan.FromMilliseconds(50));
        var later = barrier.WaitAsync(); // pings at once, or (the failure still being handled) by the timer
        await AdvanceUntil(clock, () => pings.Count == 2);
        pings.Respond(1);
        await later.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>A barrier with the live connection's windows (50 ms, 1 s) on a fake clock.</summary>
    private static (Pings Pings, FakeTimeProvider Clock, PingBarrier Barrier) Gathering()
    {
        var pings = new Pings();
        var clock = new FakeTimeProvider();
        return (pings, clock, new PingBarrier(pings.PingAsync, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1), clock));
    }

    /// <summary>The first publish: pinged at once (no ping before it), answered; the window starts now.</summary>
    private static async Task PingedOnceAsync(PingBarrier barrier, Pings pings)
    {
        var first = barrier.WaitAsync();
        pings.Respond(0);
        await first.WaitAsync(TimeSpan.FromSeconds(10));
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
