using MqttRules.Payloads;
using MqttRules.State;
using MqttRules.Values;

namespace MqttRules.Engine;

/// <summary>Where one series of a rule stands, copied on the evaluation thread (<c>GET /api/rules</c>).</summary>
internal sealed record SeriesStatus(
    string Series,
    string Phase,
    DateTimeOffset? Since,
    DateTimeOffset? Due,
    DateTimeOffset? LastSeen,
    Value LastValue,
    double? Mean,
    double? Stddev,
    DateTimeOffset? LastFire)
{
    /// <summary>Whether its repeats were acknowledged (they stop until it resolves).</summary>
    public bool Acknowledged { get; init; }

    /// <summary>Since when the series flaps (its notifications are held), or null.</summary>
    public DateTimeOffset? FlappingSince { get; init; }
}

/// <summary>A rule and its series; <see cref="Evaluated"/> is false while no message (or schedule) has been evaluated successfully since start.</summary>
internal sealed record RuleStatus(string RuleId, bool Evaluated, int SeriesCount, IReadOnlyList<SeriesStatus> Series)
{
    /// <summary>Whether the rule is in force (<c>enabled:</c>, or a run-time override).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>When the rule's mute ends, or null when it is not muted.</summary>
    public DateTimeOffset? MutedUntil { get; init; }
}

/// <summary>An immutable copy of the rules' state, for readers on other threads.</summary>
internal sealed partial class RuleEngine
{
    /// <summary>
    /// Every rule with (at most <paramref name="maxSeries"/> of) its series, copied: call it on the
    /// evaluation thread only (the engine loop does, between batches). The last value and the
    /// baseline's mean and standard deviation are read again from the series' latest message.
    /// </summary>
    internal IReadOnlyList<RuleStatus> Status(int maxSeries = 100)
    {
        var list = new List<RuleStatus>(runtimes.Length);
        foreach (var rt in runtimes)
        {
            var series = rt.Series.Values.OrderByDescending(s => s.LastSeen).Take(maxSeries)
                .Select(st => Status(rt, st) with { Acknowledged = lifecycle.Acknowledged(rt.Rule.Id, st.Series), FlappingSince = st.Flap?.Since })
                .ToArray();
            list.Add(new RuleStatus(rt.Rule.Id, rt.DecidedSinceStart, rt.Series.Count, series)
            {
                Enabled = rt.Enabled,
                MutedUntil = lifecycle.MutedUntil(Lifecycle.LifecycleKind.MuteRule, rt.Rule.Id),
            });
        }

        return list;
    }

    private static SeriesStatus Status(RuleRuntime rt, SeriesState st)
    {
        var value = Value.Missing;
        if (st.Last is { } last)
        {
            using var payload = Payload.TryParse(last.Payload, out _);
            value = payload is null ? Value.Missing : rt.ValuePath is { } path ? payload.Get(path) : payload.DefaultValue();
        }

        double? mean = null, stddev = null;
        if (st.Extra is IBaseline baseline && st.LastSeen is { } seen && value.TryNumber(out var number) && double.IsFinite(number))
        {
            var score = baseline.Score(number, seen);
            (mean, stddev) = (score.Mean, score.Stddev);
        }

        return new SeriesStatus(st.Series, StepReasonText.Phase(st.Phase), st.Since, st.Due, st.LastSeen, value, mean, stddev, st.LastFire);
    }
}
