using System.Globalization;
using MqttRules.Diagnostics;

namespace MqttRules.Tests.Memory;

/// <summary>/metrics carries the process's memory, so a soak (samples/loadtest/soak.sh) or a dashboard can watch it.</summary>
public sealed class ProcessMetricsTests
{
    [Fact]
    public void Metrics_show_resident_memory_gc_heap_and_collections()
    {
        GC.Collect();
        var text = new EngineMetrics().ToPrometheusText();
        var values = text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ')).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));

        Assert.True(values["process_resident_memory_bytes"] > 1_000_000);
        Assert.True(values["dotnet_gc_heap_bytes"] > 0);
        Assert.True(values["dotnet_gc_committed_bytes"] >= values["dotnet_gc_heap_bytes"]);
        Assert.True(values["dotnet_gc_collections_total{generation=\"2\"}"] >= 1);
        Assert.Equal(0, values["mqttrules_series"]);
    }
}
