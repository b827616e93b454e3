using System.Globalization;
using System.Text;

namespace MqttRules.Diagnostics;

public sealed partial class EngineMetrics
{
    private volatile bool lastReloadSuccessful = true;
    private long lastReloadSuccessMs;

    /// <summary>False while the rules of the last reload had problems (the previous rules still run).</summary>
    public bool LastReloadSuccessful => lastReloadSuccessful;

    /// <summary>When the rules running now were loaded (the start, or the last successful reload).</summary>
    public DateTimeOffset? LastReloadSuccess =>
        Interlocked.Read(ref lastReloadSuccessMs) is var ms and > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>Records the outcome of loading the rules (at start and on every reload).</summary>
    public void RulesLoaded(bool successful, DateTimeOffset now)
    {
        lastReloadSuccessful = successful;
        if (successful)
        {
            Interlocked.Exchange(ref lastReloadSuccessMs, now.ToUnixTimeMilliseconds());
        }
    }

    /// <summary>Prometheus' own names for the outcome of the last configuration reload.</summary>
    private void AppendReload(StringBuilder sb)
    {
        Scalar(sb, "mqttrules_config_last_reload_successful", "gauge", "1 when the last reload of the rules succeeded (0: the previous rules still run).", LastReloadSuccessful ? 1 : 0);
        var at = LastReloadSuccess is { } t ? t.ToUnixTimeMilliseconds() / 1000.0 : 0;
        sb.Append(CultureInfo.InvariantCulture,
            $"# HELP mqttrules_config_last_reload_success_timestamp_seconds Unix time of the last successful load of the rules.\n# TYPE mqttrules_config_last_reload_success_timestamp_seconds gauge\nmqttrules_config_last_reload_success_timestamp_seconds {at:0.000}\n");
    }
}
