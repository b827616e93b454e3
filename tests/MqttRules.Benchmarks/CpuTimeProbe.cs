using System.Globalization;
using System.Runtime.InteropServices;

namespace MqttRules.Benchmarks;

/// <summary>
/// A cross-check for a busy, shared machine: the same workload as <see cref="EngineThroughput"/>
/// timed by the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), which does not count the time
/// other processes hold the core. Run with <c>-- cpu</c>; prints min and median ns per message.
/// </summary>
public static partial class CpuTimeProbe
{
    private const int Rounds = 25;
    private const int RoundBatches = 20;

    public static void Run()
    {
        Console.WriteLine("| Case | Conditions | Rules | CPU ns/msg (min) | CPU ns/msg (median) | msg/s (min) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var distinct in new[] { false, true })
        {
            foreach (var rules in new[] { 1, 100, 10_000 })
            {
                Measure("NonFiring", rules, distinct, b => b.NonFiring());
                Measure("FiringResolving", rules, distinct, b => b.FiringResolving());
            }
        }
    }

    /// <summary>The parts of <see cref="HotPathParts"/>, by CPU time.</summary>
    public static void RunParts()
    {
        Console.WriteLine("| Part (10,000 rules) | CPU ns/msg (min) | CPU ns/msg (median) |");
        Console.WriteLine("|---|---:|---:|");
        var parts = new HotPathParts();
        parts.Setup();
        Part("TopicMatch", () => parts.TopicMatch());
        Part("MetricsRuleMatched", parts.MetricsRuleMatched);
        Part("ParseOnly", () => parts.ParseOnly());
        Part("ParseAndRead", () => parts.ParseAndRead());
    }

    private static void Part(string name, Action batch)
    {
        for (var i = 0; i < 200; i++)
        {
            batch();
        }

        var perMessage = new double[Rounds];
        for (var r = 0; r < Rounds; r++)
        {
            var start = ThreadCpuNanoseconds();
            for (var i = 0; i < RoundBatches; i++)
            {
                batch();
            }

            perMessage[r] = (double)(ThreadCpuNanoseconds() - start) / (RoundBatches * EngineThroughput.Batch);
        }

        Array.Sort(perMessage);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {perMessage[0]:F0} | {perMessage[Rounds / 2]:F0} |"));
    }

    private static void Measure(string name, int rules, bool distinct, Action<EngineThroughput> batch)
    {
        var bench = new EngineThroughput { Rules = rules, Distinct = distinct };
        bench.Setup();
        for (var i = 0; i < 200; i++)
        {
            batch(bench);
        }

        var perMessage = new double[Rounds];
        for (var r = 0; r < Rounds; r++)
        {
            var start = ThreadCpuNanoseconds();
            for (var i = 0; i < RoundBatches; i++)
            {
                batch(bench);
            }

            perMessage[r] = (double)(ThreadCpuNanoseconds() - start) / (RoundBatches * EngineThroughput.Batch);
        }

        Array.Sort(perMessage);
        var min = perMessage[0];
        var median = perMessage[Rounds / 2];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {(distinct ? "distinct" : "identical")} | {rules} | {min:F0} | {median:F0} | {1e9 / min:N0} |"));
    }

    private static long ThreadCpuNanoseconds()
    {
        const int ClockThreadCpuTimeId = 3;
        if (ClockGetTime(ClockThreadCpuTimeId, out var ts) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed; this probe runs on Linux");
        }

        return (ts.Seconds * 1_000_000_000L) + ts.Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec value);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
