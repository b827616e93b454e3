using MqttRules.Expressions;
using MqttRules.Payloads;
using MqttRules.Rules;
using MqttRules.Values;

namespace MqttRules.Engine;

/// <summary>Which rules a message reaches, and the evaluation context it fills.</summary>
internal sealed partial class RuleEngine
{
    /// <summary>
    /// Runs due timers, finds the rules <paramref name="topic"/> reaches (in written order) and
    /// counts the message as evaluated, or as ignored when no rule and no history topic wants it.
    /// </summary>
    private bool Route(string topic, IReadOnlyList<string>? via, DateTimeOffset now, out bool wantsHistory, out bool wantsConfirmation)
    {
        AdvanceTo(now);
        matches.Clear();
        index.Match(topic, matches);
        if (via is not null)
        {
            KeepSubscribedVia(via);
        }

        if (matches.Count > 1)
        {
            // The trie finds rules by filter shape; act in the order the rules are written.
            matches.Sort(static (x, y) => x.Index.CompareTo(y.Index));
        }

        wantsHistory = options.History is { } history && history.Wants(topic, via);
        wantsConfirmation = confirmations.Count > 0 && AwaitsConfirmation(topic, via);
        if (matches.Count == 0 && !wantsHistory && !wantsConfirmation)
        {
            Metrics.MessageIgnored();
            return false;
        }

        Metrics.MessageReceived();
        return true;
    }

    /// <summary>Drops the matches not subscribed through <paramref name="via"/>, in place (no closure per message).</summary>
    private void KeepSubscribedVia(IReadOnlyList<string> via)
    {
        var kept = 0;
        for (var i = 0; i < matches.Count; i++)
        {
            if (Contains(via, matches[i].Rule.Topic!.Subscription))
            {
                matches[kept++] = matches[i];
            }
        }

        matches.RemoveRange(kept, matches.Count - kept);
    }

    internal static bool Contains(IReadOnlyList<string> via, string filter)
    {
        for (var i = 0; i < via.Count; i++)
        {
            if (string.Equals(via[i], filter, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The captures of <paramref name="topic"/>, the topic of <paramref name="st"/>: taken once per series (and rule), not per message.</summary>
    private static string?[] Captures(RuleRuntime rt, State.SeriesState st, string topic, ref string[]? levels)
    {
        if (rt.Captures.Length == 0)
        {
            return [];
        }

        if (st.Captured is null || !ReferenceEquals(st.CapturedFor, rt.Captures))
        {
            st.Captured = Capture(topic, rt.Captures, ref levels);
            st.CapturedFor = rt.Captures;
        }

        return st.Captured;
    }

    private static string?[] Capture(string topic, IReadOnlyList<TopicCapture> captures, ref string[]? levels)
    {
        levels ??= topic.Split('/');
        var values = new string?[captures.Count];
        for (var i = 0; i < captures.Count; i++)
        {
            var level = captures[i].Level;
            values[i] = level < levels.Length ? levels[level] : null;
        }

        return values;
    }

    private void Fill(RuleRuntime rt, DateTimeOffset now, string topic, Payload payload, string?[] captures)
    {
        ctx.Reset(now, rt.Zone);
        ctx.Topic = topic;
        ctx.Payload = payload;
        ctx.Captures = captures;
        ctx.RuleValue = rt.ValuePath is { } path ? payload.Get(path) : payload.DefaultValue();
    }

    /// <summary>A context for a timer event: the series' latest message, re-read.</summary>
    private void FillFromLast(RuleRuntime rt, State.SeriesState st, DateTimeOffset now)
    {
        ctx.Reset(now, rt.Zone);
        if (st.Last is { } last && Payload.TryParse(last.Payload, out _) is { } payload)
        {
            Fill(rt, now, last.Topic, payload, last.Captures);
            if (rt.Rule.Anomaly is not null)
            {
                rt.Rescore(st, ctx);
            }
        }
    }
}
