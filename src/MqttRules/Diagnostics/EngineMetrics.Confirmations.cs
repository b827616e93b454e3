using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace MqttRules.Diagnostics;

public sealed partial class EngineMetrics
{
    /// <summary>The outcomes of a publish with <c>confirm:</c>, in the order they are printed.</summary>
    public static readonly string[] ConfirmationOutcomes = ["confirmed", "retried", "unconfirmed"];

    private readonly ConcurrentDictionary<(string Rule, string Outcome), Counter> confirmations = new();

    /// <summary>Counts a confirmation outcome: <c>confirmed</c>, <c>retried</c> (one per re-send) or <c>unconfirmed</c>.</summary>
    public void Confirmation(string rule, string outcome) => confirmations.GetOrAdd((rule, outcome), _ => new Counter()).Increment();

    public long Confirmations(string rule, string outcome) => confirmations.TryGetValue((rule, outcome), out var c) ? c.Value : 0;

    /// <summary>Registers the rules that ask for confirmation, so they show up with 0 before their first outcome.</summary>
    public void KnowConfirmingRules(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            foreach (var outcome in ConfirmationOutcomes)
            {
                confirmations.TryAdd((id, outcome), new Counter());
            }
        }
    }

    private void AppendConfirmations(StringBuilder sb)
    {
        if (confirmations.IsEmpty)
        {
            return;
        }

        sb.Append("# HELP mqttrules_confirmations_total Publishes with confirm: by rule and outcome (retried counts each re-send).\n# TYPE mqttrules_confirmations_total counter\n");
        foreach (var ((rule, outcome), c) in confirmations.ToArray().OrderBy(a => a.Key.Rule, StringComparer.Ordinal).ThenBy(a => Array.IndexOf(ConfirmationOutcomes, a.Key.Outcome)))
        {
            sb.Append(CultureInfo.InvariantCulture, $"mqttrules_confirmations_total{{rule=\"{Escape(rule)}\",outcome=\"{outcome}\"}} {c.Value}\n");
        }
    }
}
