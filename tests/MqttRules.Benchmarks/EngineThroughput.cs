using BenchmarkDotNet.Attributes;
using MqttRules.Engine;

namespace MqttRules.Benchmarks;

/// <summary>
/// Messages through parse → index → evaluate → render on one thread. Each message matches
/// exactly one rule (its meter's concrete topic); messages walk the rules round-robin so the
/// 10,000-rule case touches cold rules as a real fleet would. One operation = one message.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchConfig))]
public class EngineThroughput
{
    public const int Batch = 1024;
    private const int PayloadVariants = 256;
    private const long TenMilliseconds = TimeSpan.TicksPerMillisecond * 10;

    private RuleEngine engine = null!;
    private BenchClock clock = null!;
    private DiscardSink sink = null!;
    private string[] topics = null!;
    private byte[][] low = null!;
    private byte[][] high = null!;
    private long cursor;

    [Params(1, 100, 10_000)]
    public int Rules { get; set; }

    /// <summary>False: every rule's condition is <c>lpm &gt; 30</c>; true: each rule has its own threshold.</summary>
    [Params(false, true)]
    public bool Distinct { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rules = Workload.Rules(Rules, Distinct);
        topics = Workload.Topics(Rules);
        low = Workload.Payloads(PayloadVariants, 5, 25);
        high = Workload.Payloads(PayloadVariants, 31, 60);
        clock = new BenchClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        sink = new DiscardSink();
        engine = new RuleEngine(rules, sink, new EngineOptions { Clock = clock });
        engine.Start();
        cursor = 0;
    }

    /// <summary>lpm below 30: the rule is evaluated and stays idle; nothing is rendered.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public void NonFiring()
    {
        var k = cursor;
        for (var i = 0; i < Batch; i++, k++)
        {
            clock.Advance(TenMilliseconds);
            engine.Process(topics[k % topics.Length], low[k % PayloadVariants]);
        }

        cursor = k;
    }

    /// <summary>
    /// Every message is a transition: each rule sees lpm above 30 (fire, one publish rendered)
    /// then below (resolve, no on_resolve action), alternately.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void FiringResolving()
    {
        var k = cursor;
        for (var i = 0; i < Batch; i++, k++)
        {
            clock.Advance(TenMilliseconds);
            var round = k / topics.Length;
            var payloads = (round & 1) == 0 ? high : low;
            engine.Process(topics[k % topics.Length], payloads[k % PayloadVariants]);
        }

        cursor = k;
    }

    [GlobalCleanup(Target = nameof(FiringResolving))]
    public void CheckFired()
    {
        if (sink.Count == 0)
        {
            throw new InvalidOperationException("the firing workload rendered no action");
        }
    }
}
