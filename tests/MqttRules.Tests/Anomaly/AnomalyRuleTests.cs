namespace MqttRules.Tests.Anomaly;

/// <summary>Anomaly rules end to end through the engine: score before learning, no learning while deviating or firing.</summary>
public class AnomalyRuleTests
{
    private static string Rule(string anomaly, string extra = "") => $$$"""
        rules:
          - id: flow
            topic: home/{meter}/water
            value: lpm
            anomaly: { {{{anomaly}}} }
        {{{extra}}}
            actions: [ { log: "fire {{meter}} z={{round(z, 2)}} mean={{round(mean, 2)}} sd={{round(stddev, 2)}}" } ]
            on_resolve: [ { log: "resolve {{meter}}" } ]
        """;

    private static void Feed(ComposedEngineHarness h, double value, int minute) =>
        h.Send(ComposedEngineHarness.Start.AddMinutes(minute), "home/main/water", $$"""{"lpm": {{value}}}""");

    [Fact]
    public void Anomaly_WarmUp_NoFireBeforeMinSamples()
    {
        var h = new ComposedEngineHarness(Rule("method: zscore, window: 1d, threshold: 3, min_samples: 5"));
        Feed(h, 1, 0);
        Feed(h, 1, 1);
        Feed(h, 1000, 2);                    // only 2 learned: not ready, and learned

        Assert.Empty(h.Actions);
    }

    [Theory]
    [InlineData("above", 30.0, true)]
    [InlineData("above", -10.0, false)]
    [InlineData("below", -10.0, true)]
    [InlineData("below", 30.0, false)]
    [InlineData("both", 30.0, true)]
    [InlineData("both", -10.0, true)]
    [InlineData("both", 10.5, false)]
    public void Anomaly_Direction_FiresOnlyTheWatchedWay(string direction, double value, bool fires)
    {
        var h = new ComposedEngineHarness(Rule($"method: zscore, window: 1d, threshold: 3, min_samples: 4, direction: {direction}"));
        foreach (var (v, i) in new[] { 9.0, 11, 9, 11 }.Select((v, i) => (v, i)))
        {
            Feed(h, v, i);
        }

        Feed(h, value, 10);

        Assert.Equal(fires, h.Actions.Count == 1);
    }

    [Fact]
    public void Anomaly_ScoredBeforeLearned_ZAndStatsRendered()
    {
        var h = new ComposedEngineHarness(Rule("method: zscore, window: 1d, threshold: 3, min_samples: 4"));
        foreach (var (v, i) in new[] { 9.0, 11, 9, 11 }.Select((v, i) => (v, i)))
        {
            Feed(h, v, i);
        }

        Feed(h, 14, 5);

        Assert.Equal(["fire home/main/water fire main z=4 mean=10 sd=1"], h.Events);
    }

    [Fact]
    public void Anomaly_LeakNeverLearned_KeepsFiringUntilBack()
    {
        var h = new ComposedEngineHarness(Rule("method: zscore, window: 1d, threshold: 3, min_samples: 4"));
        foreach (var (v, i) in new[] { 9.0, 11, 9, 11 }.Select((v, i) => (v, i)))
        {
            Feed(h, v, i);
        }

        for (var i = 10; i < 200; i++)
        {
            Feed(h, 30, i); // a long leak: if it were learned it would become normal and resolve
        }

        Feed(h, 10, 300);
        Feed(h, 30, 301);

        Assert.Equal(
            ["fire home/main/water fire main z=20 mean=10 sd=1", "resolve home/main/water resolve main", "fire home/main/water fire main z=20 mean=10 sd=1"],
            h.Events);
    }

    [Fact]
    public void Anomaly_PendingWithFor_DeviatingValuesNotLearned()
    {
        var h = new ComposedEngineHarness(Rule("method: zscore, window: 1d, threshold: 3, min_samples: 4", "    for: 10m"));
        foreach (var (v, i) in new[] { 9.0, 11, 9, 11 }.Select((v, i) => (v, i)))
        {
            Feed(h, v, i);
        }

        Feed(h, 30, 10);  // pending
        Feed(h, 10, 12);  // back to normal: pending ends, nothing fired; 10 is learned
        Feed(h, 30, 13);  // pending again, scored against {9, 11, 9, 11, 10}: the first 30 was never learned
        h.AdvanceTo(ComposedEngineHarness.Start.AddMinutes(23));

        // the fire comes from the for: timer and still renders the score of the latest value
        Assert.Equal(["fire home/main/water fire main z=22.36 mean=10 sd=0.89"], h.Events);
    }

    [Fact]
    public void Anomaly_ConstantSignal_AnyIncreaseFires()
    {
        var h = new ComposedEngineHarness(Rule("method: zscore, window: 1d, threshold: 3, min_samples: 3"));
        for (var i = 0; i < 5; i++)
        {
            Feed(h, 0, i);
        }

        Feed(h, 0, 6);
        Assert.Empty(h.Actions);
        Feed(h, 0.1, 7);

        Assert.Equal(["fire home/main/water fire main z=∞ mean=0 sd=0"], h.Events.Select(e => e.Replace("Infinity", "∞", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(2.9, new string[0])]
    [InlineData(3.1, new[] { "fire home/main/water fire main z=3.1 mean=0 sd=1" })]
    public void Anomaly_MinStddev_SmallChangesIgnored(double value, string[] events)
    {
        var h = new ComposedEngineHarness(Rule("method: zscore, window: 1d, threshold: 3, min_samples: 3, min_stddev: 1"));
        for (var i = 0; i < 5; i++)
        {
            Feed(h, 0, i);
        }

        Feed(h, value, 6);

        Assert.Equal(events, h.Events);
    }

    [Fact]
    public void Anomaly_Restart_BaselineRestored()
    {
        var store = new MemoryStateStore();
        var h = new ComposedEngineHarness(Rule("method: ewma, half_life: 1h, threshold: 3, min_samples: 4"), store);
        foreach (var (v, i) in new[] { 9.0, 11, 9, 11 }.Select((v, i) => (v, i)))
        {
            Feed(h, v, i);
        }

        h.Engine.FlushState();
        var again = new ComposedEngineHarness(Rule("method: ewma, half_life: 1h, threshold: 3, min_samples: 4"), store, ComposedEngineHarness.Start.AddMinutes(5));
        Feed(again, 30, 6);

        Assert.Single(again.Actions);
    }
}

/// <summary>Seasonal rules through the engine: buckets are hours of the week in the rule's zone.</summary>
public class SeasonalRuleTests
{
    private const string Rules = """
        rules:
          - id: flow
            topic: home/{meter}/water
            value: lpm
            timezone: America/New_York
            anomaly: { method: seasonal, window: 28d, threshold: 3, min_samples: 4, min_stddev: 0.1 }
            cooldown: 1h
            actions: [ { log: "fire z={{round(z, 1)}} mean={{mean}}" } ]
        """;

    // Monday 2026-01-05 13:00Z is 08:00 in New York
    private static readonly DateTimeOffset MondayEight = new(2026, 1, 5, 13, 0, 0, TimeSpan.Zero);

    private static void Feed(ComposedEngineHarness h, DateTimeOffset at, double value) =>
        h.Send(at, "home/main/water", $$"""{"lpm": {{value}}}""");

    [Fact]
    public void Seasonal_BusyMorningInRuleZone_NormalThere()
    {
        var h = new ComposedEngineHarness(Rules, start: MondayEight.AddMinutes(-1));
        for (var week = 0; week < 2; week++)
        {
            var at = MondayEight.AddDays(7 * week);
            Feed(h, at, 8);
            Feed(h, at.AddMinutes(20), 8);
            Feed(h, at.AddHours(2), 1);               // 10:00 New York: quiet
            Feed(h, at.AddHours(2).AddMinutes(20), 1);
        }

        Feed(h, MondayEight.AddDays(14).AddMinutes(5), 8);   // busy hour: normal
        Feed(h, MondayEight.AddDays(14).AddHours(2), 8);     // the same flow at 10:00: anomalous

        Assert.Equal(["fire home/main/water fire z=70 mean=1"], h.Events);
    }

    [Fact]
    public void Seasonal_HeldBackByCooldown_DeviatingValuesNotLearned()
    {
        var h = new ComposedEngineHarness(Rules, start: MondayEight.AddMinutes(-1));
        for (var i = 0; i < 4; i++)
        {
            Feed(h, MondayEight.AddMinutes(i), 1);
        }

        Feed(h, MondayEight.AddMinutes(10), 9);   // fire
        Feed(h, MondayEight.AddMinutes(11), 1);   // resolve (not learned: firing)
        Feed(h, MondayEight.AddMinutes(12), 9);   // due again within the cooldown: held back
        Feed(h, MondayEight.AddMinutes(13), 9);
        h.AdvanceTo(MondayEight.AddMinutes(70));  // cooldown over: the held-back fire happens

        Assert.Equal(["fire home/main/water fire z=80 mean=1", "fire home/main/water fire z=80 mean=1"], h.Events);
        Assert.Equal(MondayEight.AddMinutes(70), h.Actions[1].Time);
    }
}
