using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace MqttRules.Benchmarks;

/// <summary>
/// Adds messages per second (operations per second; one operation is one message), and the
/// median and minimum, which say more than the mean on a shared, busy machine.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.OperationsPerSecond);
    }
}
