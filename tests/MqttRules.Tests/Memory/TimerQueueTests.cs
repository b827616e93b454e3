using MqttRules.Tests.Support;

namespace MqttRules.Tests.Memory;

/// <summary>The engine's timer queue holds about one entry per waiting series, however many messages move its timer.</summary>
public sealed class TimerQueueTests
{
    [Fact]
    public void An_absence_watch_moved_by_every_message_keeps_one_timer_per_series_and_still_fires_on_time()
    {
        var h = new EngineHarness("""
            rules:
              - id: silent
                topic: home/{meter}/water
                absent: 10m
                actions:
                  - log: "{{meter}} silent"
            """);
        for (var i = 0; i < 60_000; i++)
        {
            h.Advance(TimeSpan.FromMilliseconds(10));
            h.Send($"home/m{i % 3}/water", "5");
        }

        Assert.InRange(h.Engine.QueuedTimers, 3, 6);
        var lastMessage = h.Clock.GetUtcNow();

        h.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(30));
        Assert.Empty(h.Actions);
        h.Advance(TimeSpan.FromMilliseconds(30));

        Assert.Equal(["m0 silent", "m1 silent", "m2 silent"], h.Actions.Select(a => a.LogMessage()));
        Assert.All(h.Actions, a => Assert.InRange(a.Time, lastMessage - TimeSpan.FromMilliseconds(20) + TimeSpan.FromMinutes(10), lastMessage + TimeSpan.FromMinutes(10)));
        Assert.Equal(0, h.Engine.QueuedTimers);
    }

    [Fact]
    public void A_flapping_pending_series_keeps_one_timer()
    {
        var h = new EngineHarness("""
            rules:
              - id: high
                topic: home/{meter}/water
                when: lpm > 30
                for: 5m
                actions:
                  - log: "{{meter}} high"
            """);
        for (var i = 0; i < 10_000; i++)
        {
            h.Advance(TimeSpan.FromMilliseconds(10));
            h.Send("home/m/water", i % 2 == 0 ? """{"lpm": 45}""" : """{"lpm": 5}""");
        }

        Assert.InRange(h.Engine.QueuedTimers, 0, 2);
        Assert.Empty(h.Actions);
        h.Send("home/m/water", """{"lpm": 45}""");
        h.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(["m high"], h.Actions.Select(a => a.LogMessage()));
    }

    [Fact]
    public void Timers_due_together_still_run_in_the_order_their_series_last_set_them()
    {
        var h = new EngineHarness("""
            rules:
              - id: silent
                topic: home/{meter}/water
                absent: 1m
                actions:
                  - log: "{{meter}} silent"
            """);
        h.Send("home/a/water", "1").Send("home/b/water", "1");
        h.Advance(TimeSpan.FromSeconds(5));
        h.Send("home/b/water", "1").Send("home/a/water", "1"); // same instant, b first this time

        h.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(["b silent", "a silent"], h.Actions.Select(a => a.LogMessage()));
    }
}
