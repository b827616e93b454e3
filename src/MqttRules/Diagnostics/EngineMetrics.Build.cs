using System.Globalization;
using System.Text;

namespace MqttRules.Diagnostics;

public sealed partial class EngineMetrics
{
    /// <summary><c>mqttrules_build_info{version="..."} 1</c>, the Prometheus way to expose the version (join on it in queries).</summary>
    private static void AppendBuildInfo(StringBuilder sb) =>
        sb.Append(CultureInfo.InvariantCulture,
            $"# HELP mqttrules_build_info The version of the running engine, as a label; always 1.\n# TYPE mqttrules_build_info gauge\nmqttrules_build_info{{version=\"{Escape(BuildInfo.Version)}\"}} 1\n");
}
