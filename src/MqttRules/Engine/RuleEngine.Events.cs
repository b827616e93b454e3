using MqttRules.State;
using MqttRules.Values;

namespace MqttRules.Engine;

/// <summary>
/// Engine events for <see cref="EngineOptions.Events"/>: each fire and resolve, and each rule's
/// firing state (any of its series firing). Without a listener nothing here runs.
/// </summary>
internal sealed partial class RuleEngine
{
    /// <summary>A fire or resolve, after its actions were handed on; a listener that throws loses only its event.</summary>
    private void Report(RuleRuntime rt, SeriesState st, string name)
    {
        if (options.Events is null)
        {
            return;
        }

        Publish(new EngineEvent(rt.Rule.Id, name, st.Series, ctx.Now)
        {
            Value = ctx.RuleValue,
            Duration = ctx.Duration,
            Captures = Captures(rt),
        });
    }

    /// <summary>Another kind of event (<c>unconfirmed</c>, ...) with what it adds, from the evaluation context as it stands.</summary>
    private void Report(RuleRuntime rt, string? series, string name, IReadOnlyList<KeyValuePair<string, Value>> details)
    {
        if (options.Events is null)
        {
            return;
        }

        Publish(new EngineEvent(rt.Rule.Id, name, series, ctx.Now) { Captures = Captures(rt), Details = details });
    }

    /// <summary>A series started flapping or settled (<c>flapping</c>, <c>flap_settled</c>), with the rule's flap settings.</summary>
    private void ReportFlap(RuleRuntime rt, string series, string name, DateTimeOffset at, Rules.FlapSpec flap)
    {
        if (options.Events is null)
        {
            return;
        }

        Publish(new EngineEvent(rt.Rule.Id, name, series, at)
        {
            Details = [new("changes", Value.Of(flap.Changes)), new("within", Value.Of(Durations.Format(flap.Within)))],
        });
    }

    private void Publish(EngineEvent e)
    {
        try
        {
            options.Events!.Publish(e);
        }
        catch (Exception ex)
        {
            Log.EngineEventFailed(logger, ex, e.RuleId, e.Series, e.Event);
        }
    }

    private KeyValuePair<string, string?>[] Captures(RuleRuntime rt)
    {
        var values = ctx.Captures;
        var list = new KeyValuePair<string, string?>[rt.Captures.Length];
        for (var i = 0; i < list.Length; i++)
        {
            list[i] = new(rt.Captures[i].Name, i < values.Length ? values[i] : null);
        }

        return list;
    }

    /// <summary>A series changed phase: the rule's count of firing series follows, and a change of "any firing" is said.</summary>
    private void TrackFiring(RuleRuntime rt, Phase before, Phase after)
    {
        var delta = (after == Phase.Firing ? 1 : 0) - (before == Phase.Firing ? 1 : 0);
        if (delta == 0)
        {
            return;
        }

        var wasFiring = rt.FiringSeries > 0;
        rt.FiringSeries = Math.Max(0, rt.FiringSeries + delta);
        if (wasFiring != rt.FiringSeries > 0)
        {
            SayFiring(rt);
        }
    }

    /// <summary>Counts every rule's firing series again and says each rule's state (after start and after a reload).</summary>
    private void AnnounceFiring()
    {
        if (options.Events is null)
        {
            return;
        }

        foreach (var rt in runtimes)
        {
            rt.FiringSeries = rt.Series.Values.Count(s => s.Phase == Phase.Firing);
            SayFiring(rt);
        }
    }

    private void SayFiring(RuleRuntime rt)
    {
        try
        {
            options.Events!.FiringChanged(rt.Rule.Id, rt.FiringSeries > 0);
        }
        catch (Exception ex)
        {
            Log.EngineEventFailed(logger, ex, rt.Rule.Id, null, "firing");
        }
    }
}
