using System.Globalization;
using MqttRules.Actions;
using MqttRules.Engine;

namespace MqttRules.Benchmarks;

/// <summary>
/// Bytes allocated per message, exactly (<see cref="GC.GetAllocatedBytesForCurrentThread"/>; not
/// disturbed by other processes): the workload of <see cref="EngineThroughput"/>, with the firing and
/// the resolving messages of <c>FiringResolving</c> counted apart, and the parts of a firing. Run with <c>-- alloc</c>.
/// </summary>
public static class AllocationProbe
{
    private const int Messages = 100_000;
    private const long TenMilliseconds = TimeSpan.TicksPerMillisecond * 10;

    public static void Run()
    {
        Console.WriteLine("| Rules | Non-firing B/msg | Firing (publish rendered) B/msg | Resolving B/msg | FiringResolving B/msg |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        foreach (var rules in new[] { 1, 100, 10_000 })
        {
            Measure(rules.ToString("N0", CultureInfo.InvariantCulture), Workload.Rules(rules), Workload.Topics(rules));
        }

        // The live load script's one rule: a capture in the filter, a hole in the published topic.
        var wildcard = MqttRules.Loading.RuleLoader.LoadText("""
            rules:
              - id: water-alert
                topic: home/{meter}/water
                when: lpm > 30
                actions:
                  - publish: { topic: "alerts/{{meter}}/water", payload: "{{lpm}}" }
            """).Rules;
        Measure("1 (`home/{meter}/water`, 100 meters)", wildcard, Workload.Topics(100));

        Console.WriteLine();
        Console.WriteLine("| Part of a firing | B/call |");
        Console.WriteLine("|---|---:|");
        var now = DateTimeOffset.UnixEpoch;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| ActionIds.Derive | {PerCall(() => ActionIds.Derive("water-m17", "home/m17/water", RuleEvent.Fire, now, 0)):0.#} |"));
    }

    private static void Measure(string label, MqttRules.Rules.RuleSet ruleSet, string[] topics)
    {
        var clock = new BenchClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var engine = new RuleEngine(ruleSet, new DiscardSink(), new EngineOptions { Clock = clock });
        engine.Start();
        var rules = topics.Length;
        var low = Workload.Payloads(256, 5, 25);
        var high = Workload.Payloads(256, 31, 60);

        // Warm up: every rule fires and resolves a few times (first-time allocations are not per message).
        for (var k = 0; k < Math.Max(4 * rules, 20_000); k++)
        {
            clock.Advance(TenMilliseconds);
            engine.Process(topics[k % rules], ((k / rules) & 1) == 0 ? high[k % 256] : low[k % 256]);
        }

        var nonFiring = PerMessage(engine, clock, topics, k => low[k % 256]);
        var firing = PerMessage(engine, clock, topics, k => high[k % 256], low);
        var resolving = PerMessage(engine, clock, topics, k => low[k % 256], high);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {nonFiring:0.#} | {firing:0.#} | {resolving:0.#} | {(firing + resolving) / 2:0.#} |"));
    }

    /// <summary>
    /// Bytes per message of <paramref name="payload"/>; with <paramref name="before"/>, each measured message
    /// follows an unmeasured one from it on the same series (so every measured message is a transition).
    /// </summary>
    private static double PerMessage(RuleEngine engine, BenchClock clock, string[] topics, Func<int, byte[]> payload, byte[][]? before = null)
    {
        long bytes = 0;
        for (var k = 0; k < Messages; k++)
        {
            var topic = topics[k % topics.Length];
            if (before is not null)
            {
                clock.Advance(TenMilliseconds);
                engine.Process(topic, before[k % 256]);
            }

            clock.Advance(TenMilliseconds);
            var b0 = GC.GetAllocatedBytesForCurrentThread();
            engine.Process(topic, payload(k));
            bytes += GC.GetAllocatedBytesForCurrentThread() - b0;
        }

        return (double)bytes / Messages;
    }

    private static double PerCall(Func<object> call)
    {
        for (var i = 0; i < 1000; i++)
        {
            call();
        }

        var b0 = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Messages; i++)
        {
            call();
        }

        return (double)(GC.GetAllocatedBytesForCurrentThread() - b0) / Messages;
    }
}
