using System.Globalization;
using System.Text;

namespace MqttRules.Diagnostics;

/// <summary>
/// Process and GC gauges for <c>/metrics</c>: resident memory, the GC heap after the last
/// collection, the memory the GC has committed, and collections per generation. Read on
/// request only (a few runtime calls), so they cost nothing between scrapes.
/// </summary>
internal static class ProcessMetrics
{
    public static void AppendTo(StringBuilder sb)
    {
        var gc = GC.GetGCMemoryInfo();
        Gauge(sb, "process_resident_memory_bytes", "Resident memory of the engine process.", Environment.WorkingSet);
        Gauge(sb, "dotnet_gc_heap_bytes", "Managed heap size after the last garbage collection.", gc.HeapSizeBytes);
        Gauge(sb, "dotnet_gc_committed_bytes", "Memory committed by the garbage collector.", gc.TotalCommittedBytes);
        sb.Append("# HELP dotnet_gc_collections_total Garbage collections by generation.\n# TYPE dotnet_gc_collections_total counter\n");
        for (var gen = 0; gen <= GC.MaxGeneration; gen++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"dotnet_gc_collections_total{{generation=\"{gen}\"}} {GC.CollectionCount(gen)}\n");
        }
    }

    private static void Gauge(StringBuilder sb, string name, string help, long value) =>
        sb.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n");
}
