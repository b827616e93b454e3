using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace MqttRules.Diagnostics;

/// <summary>
/// The engine's counters, read by <c>/metrics</c> in Prometheus text format. Counters are
/// updated with interlocked adds so the HTTP thread can read while the engine writes.
/// </summary>
public sealed partial class EngineMetrics
{
    private long messages;
    private long messagesIgnored;
    private long payloadErrors;
    private long reconnects;
    private long evaluationErrors;
    private long lastEvaluatedMs;
    private readonly ConcurrentDictionary<string, Counter> ruleMatches = new();
    private readonly ConcurrentDictionary<string, Counter> ruleFires = new();
    private readonly ConcurrentDictionary<string, Counter> ruleResolves = new();
    private readonly ConcurrentDictionary<string, Counter> ruleEvaluationErrors = new();
    private readonly ConcurrentDictionary<(string Kind, string Outcome), Counter> actions = new();

    /// <summary>Messages that reached at least one rule or history topic.</summary>
    public long Messages => Interlocked.Read(ref messages);

    /// <summary>Messages a (wider, covering) subscription brought that reached no rule and no history topic.</summary>
    public long MessagesIgnored => Interlocked.Read(ref messagesIgnored);
    public long PayloadErrors => Interlocked.Read(ref payloadErrors);
    public long EvaluationErrors => Interlocked.Read(ref evaluationErrors);

    /// <summary>Set by the outbox: external actions stored and not yet delivered.</summary>
    public Func<long> OutboxPending { get; set; } = () => 0;

    /// <summary>Set by the intake: messages waiting for the engine.</summary>
    public Func<long> QueueDepth { get; set; } = () => 0;
    public bool BrokerConnected { get; set; }

    /// <summary>When the live engine last finished evaluating messages (per batch); null before the first.</summary>
    public DateTimeOffset? LastMessageEvaluated
    {
        get => Volatile.Read(ref lastEvaluatedMs) is var ms and > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        set => Volatile.Write(ref lastEvaluatedMs, value?.ToUnixTimeMilliseconds() ?? 0);
    }

    public void MessageReceived() => Interlocked.Increment(ref messages);

    public void MessageIgnored() => Interlocked.Increment(ref messagesIgnored);

    public void PayloadError() => Interlocked.Increment(ref payloadErrors);

    /// <summary>Counts an evaluation of <paramref name="rule"/> that could not be decided or rendered.</summary>
    public void EvaluationError(string rule) => EvaluationErrorCounter(rule).Increment();

    /// <summary>
    /// The evaluation-error counter of one rule, for the engine to keep per rule and count
    /// without a lookup; incrementing it also counts towards <see cref="EvaluationErrors"/>.
    /// </summary>
    internal Counter EvaluationErrorCounter(string rule) => ruleEvaluationErrors.GetOrAdd(rule, _ => new Counter(this));

    public long EvaluationErrorsOf(string rule) => ruleEvaluationErrors.TryGetValue(rule, out var c) ? c.Value : 0;

    public void Reconnected() => Interlocked.Increment(ref reconnects);

    public void RuleMatched(string rule) => RuleMatchCounter(rule).Increment();

    /// <summary>
    /// The match counter of one rule, for the engine to keep per rule and count every message
    /// without a dictionary lookup; the same counter <see cref="RuleMatched"/> increments.
    /// </summary>
    internal Counter RuleMatchCounter(string rule) => ruleMatches.GetOrAdd(rule, _ => new Counter());

    public void RuleFired(string rule) => ruleFires.GetOrAdd(rule, _ => new Counter()).Increment();

    public void RuleResolved(string rule) => ruleResolves.GetOrAdd(rule, _ => new Counter()).Increment();

    public void Action(string kind, string outcome) => actions.GetOrAdd((kind, outcome), _ => new Counter()).Increment();

    public long ActionCount(string kind, string outcome) => actions.TryGetValue((kind, outcome), out var c) ? c.Value : 0;

    public long Fires(string rule) => ruleFires.TryGetValue(rule, out var c) ? c.Value : 0;

    /// <summary>Registers the rule ids so every rule shows up with 0 before its first event.</summary>
    public void KnowRules(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            ruleMatches.TryAdd(id, new Counter());
            ruleFires.TryAdd(id, new Counter());
            ruleResolves.TryAdd(id, new Counter());
            ruleEvaluationErrors.TryAdd(id, new Counter(this));
        }
    }

    public string ToPrometheusText()
    {
        var sb = new StringBuilder();
        AppendBuildInfo(sb);
        Scalar(sb, "mqttrules_messages_total", "counter", "MQTT messages evaluated (they reached a rule or a history topic).", Messages);
        Scalar(sb, "mqttrules_messages_ignored_total", "counter", "MQTT messages received that reached no rule and no history topic (a wider covering subscription brought them).", MessagesIgnored);
        Scalar(sb, "mqttrules_payload_errors_total", "counter", "Payloads that could not be parsed (skipped).", PayloadErrors);
        Labelled(sb, "mqttrules_evaluation_errors_total", "Rule evaluations that could not be decided or rendered (missing field, wrong type), by rule.", ruleEvaluationErrors);
        Labelled(sb, "mqttrules_rule_matches_total", "Messages that reached a rule.", ruleMatches);
        Labelled(sb, "mqttrules_rule_fires_total", "Fire events, absent fires included.", ruleFires);
        Labelled(sb, "mqttrules_rule_resolves_total", "Resolve events.", ruleResolves);
        sb.Append("# HELP mqttrules_actions_total Actions by kind and outcome.\n# TYPE mqttrules_actions_total counter\n");
        // Snapshots (ToArray): LINQ over a ConcurrentDictionary that gains a key meanwhile throws.
        foreach (var ((kind, outcome), c) in actions.ToArray().OrderBy(a => a.Key.Kind, StringComparer.Ordinal).ThenBy(a => a.Key.Outcome, StringComparer.Ordinal))
        {
            sb.Append(CultureInfo.InvariantCulture, $"mqttrules_actions_total{{kind=\"{Escape(kind)}\",outcome=\"{Escape(outcome)}\"}} {c.Value}\n");
        }

        Scalar(sb, "mqttrules_outbox_pending", "gauge", "External actions stored and not yet delivered.", OutboxPending());
        Scalar(sb, "mqttrules_queue_depth", "gauge", "Messages received and waiting for evaluation.", QueueDepth());
        Scalar(sb, "mqttrules_broker_connected", "gauge", "1 while connected to the broker.", BrokerConnected ? 1 : 0);
        Scalar(sb, "mqttrules_reconnects_total", "counter", "Reconnections to the broker after a lost connection.", Interlocked.Read(ref reconnects));
        var last = LastMessageEvaluated is { } t ? t.ToUnixTimeMilliseconds() / 1000.0 : 0;
        sb.Append(CultureInfo.InvariantCulture,
            $"# HELP mqttrules_last_message_timestamp_seconds Unix time at which the last message was evaluated (0: none yet).\n# TYPE mqttrules_last_message_timestamp_seconds gauge\nmqttrules_last_message_timestamp_seconds {last:0.000}\n");
        AppendSeries(sb);
        AppendReload(sb);
        AppendConfirmations(sb);
        AppendPresence(sb);
        AppendLifecycle(sb);
        ProcessMetrics.AppendTo(sb);
        return sb.ToString();
    }

    private static void Scalar(StringBuilder sb, string name, string type, string help, long value) =>
        sb.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value}\n");

    private static void Labelled(StringBuilder sb, string name, string help, ConcurrentDictionary<string, Counter> counters)
    {
        sb.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n");
        foreach (var (rule, c) in counters.ToArray().OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            sb.Append(CultureInfo.InvariantCulture, $"{name}{{rule=\"{Escape(rule)}\"}} {c.Value}\n");
        }
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>One labelled counter; an evaluation-error counter also adds to the engine-wide total.</summary>
    internal sealed class Counter(EngineMetrics? total = null)
    {
        private long value;

        public long Value => Interlocked.Read(ref value);

        public void Increment()
        {
            Interlocked.Increment(ref value);
            if (total is not null)
            {
                Interlocked.Increment(ref total.evaluationErrors);
            }
        }
    }
}
