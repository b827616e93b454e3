using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace MqttRules.Benchmarks;

/// <summary>Adds messages per second (operations per second; one operation is one message).</summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddColumn(StatisticColumn.OperationsPerSecond);
    }
}
