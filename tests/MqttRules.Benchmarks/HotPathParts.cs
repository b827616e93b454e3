using BenchmarkDotNet.Attributes;
using MqttRules.Diagnostics;
using MqttRules.Payloads;
using MqttRules.Topics;

namespace MqttRules.Benchmarks;

/// <summary>
/// The pieces of one message's path, measured alone at 10,000 rules, to see where time goes.
/// One operation = one message.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchConfig))]
public class HotPathParts
{
    private const int Rules = 10_000;
    private const int Batch = 1024;
    private static readonly string[] LpmPath = ["lpm"];
    private static readonly string[] ValuePath = ["value"];

    private readonly TopicIndex<int> index = new();
    private readonly List<int> matches = [];
    private readonly EngineMetrics metrics = new();
    private string[] topics = null!;
    private string[] ids = null!;
    private byte[][] payloads = null!;
    private int cursor;

    [GlobalSetup]
    public void Setup()
    {
        topics = Workload.Topics(Rules);
        ids = Enumerable.Range(0, Rules).Select(i => $"water-m{i}").ToArray();
        for (var i = 0; i < Rules; i++)
        {
            index.Add(topics[i], i);
        }

        metrics.KnowRules(ids);
        payloads = Workload.Payloads(256, 5, 25);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int TopicMatch()
    {
        var n = 0;
        for (var i = 0; i < Batch; i++)
        {
            matches.Clear();
            index.Match(topics[Next()], matches);
            n += matches.Count;
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void MetricsRuleMatched()
    {
        for (var i = 0; i < Batch; i++)
        {
            metrics.RuleMatched(ids[Next()]);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public double ParseOnly()
    {
        var sum = 0.0;
        for (var i = 0; i < Batch; i++)
        {
            using var p = Payload.TryParse(payloads[i & 255], out _);
            sum += p!.Number;
        }

        return sum;
    }

    /// <summary>What a non-firing message reads: the default <c>value</c> field, then <c>lpm</c>.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public double ParseAndRead()
    {
        var sum = 0.0;
        for (var i = 0; i < Batch; i++)
        {
            using var p = Payload.TryParse(payloads[i & 255], out _);
            sum += p!.Get(ValuePath).Number + p.Get(LpmPath).Number;
        }

        return sum;
    }

    private int Next()
    {
        var k = cursor;
        cursor = k + 1 == Rules ? 0 : k + 1;
        return k;
    }
}
