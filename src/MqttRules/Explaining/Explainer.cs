using Microsoft.Extensions.Logging;
using MqttRules.Actions;
using MqttRules.Engine;
using MqttRules.Replay;
using MqttRules.Rules;
using MqttRules.State;

namespace MqttRules.Explaining;

/// <summary>How <c>explain</c> runs the engine: the same options as <c>replay</c>, and optionally a saved state to start from.</summary>
/// <param name="Compose">Wires the engine's parts as <c>run</c> and <c>replay</c> do (<c>EngineComposition.ForRules</c>).</param>
public sealed record ExplainSettings(ILogger Logger, TimeZoneInfo Zone, int MaxSeriesPerRule, bool Json, Func<RuleSet, EngineOptions, EngineOptions> Compose)
{
    /// <summary>The state the engine starts from (a copy of a live engine's state file), or none.</summary>
    public IStateStore? State { get; init; }
}

/// <summary>
/// <c>mqttrules explain</c>: feeds messages through the engine on the replay clock and says, for every
/// rule, whether its filter matched and what the engine decided and why (<see cref="RuleDecision"/>),
/// as text for a person or as JSON lines. Timer decisions due before a message come first.
/// </summary>
public sealed class Explainer(RuleSet rules, TextWriter output, ExplainSettings settings)
{
    private readonly DecisionCollector collector = new();
    private readonly List<RenderedAction> actions = [];

    /// <summary>Explains <paramref name="lines"/>; returns the number of messages read.</summary>
    public int Run(IEnumerable<ReplayLine> lines, DateTimeOffset start)
    {
        var runner = new ReplayRunner(rules, new ListSink(actions), settings.Logger, settings.Zone)
        {
            Configure = (_, o) => settings.Compose(rules, o) with
            {
                MaxSeriesPerRule = settings.MaxSeriesPerRule,
                Decisions = collector,
                StateStore = settings.State ?? NullStateStore.Instance,
            },
            LineDone = Explain,
        };
        var count = runner.Run(lines, start);
        WriteDecisions(collector.Take()); // timers at the last message's time
        return count;
    }

    private void Explain(ReplayLine line)
    {
        var decided = collector.Take();
        if (!settings.Json)
        {
            var payload = line.Payload is null ? "(not valid text)" : System.Text.Encoding.UTF8.GetString(line.Payload);
            output.WriteLine($"{ReplayReader.Format(line.Time)} {line.Topic} {payload}");
        }

        // In the order decided: timers due before the message, the message, then what it caused (a confirmation awaited or given).
        var matched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in decided)
        {
            if (d.Trigger == "message" && d.Topic == line.Topic && d.Time == line.Time)
            {
                matched.Add(d.RuleId);
            }

            Write(d);
        }

        foreach (var rule in rules.Rules.Where(r => !matched.Contains(r.Id)))
        {
            WriteNotMatched(rule, line);
        }

        foreach (var action in actions)
        {
            output.WriteLine(settings.Json ? ActionJson.ToJson(action) : $"  => {ActionJson.ToJson(action)}");
        }

        actions.Clear();
    }

    private void WriteNotMatched(Rule rule, ReplayLine line)
    {
        if (settings.Json)
        {
            output.WriteLine(DecisionJson.NotMatched(line.Time, rule.Id, line.Topic, disabled: !rule.Enabled));
        }
        else if (!rule.Enabled)
        {
            output.WriteLine($"  {rule.Id}: disabled (enabled: false): not evaluated");
        }
        else if (rule.Topic is null)
        {
            output.WriteLine($"  {rule.Id}: has no topic (a scheduled rule)");
        }
        else
        {
            output.WriteLine($"  {rule.Id}: filter {rule.Topic.Subscription} did not match");
        }
    }

    private void WriteDecisions(IEnumerable<RuleDecision> decisions)
    {
        foreach (var d in decisions)
        {
            Write(d);
        }
    }

    private void Write(RuleDecision d)
    {
        if (settings.Json)
        {
            output.WriteLine(DecisionJson.ToJson(d));
        }
        else
        {
            DecisionText.Write(output, d);
        }
    }

    private sealed class ListSink(List<RenderedAction> list) : IActionSink
    {
        public void Submit(RenderedAction action) => list.Add(action);
    }
}
