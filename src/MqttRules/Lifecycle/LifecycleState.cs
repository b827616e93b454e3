using Microsoft.Extensions.Logging;
using MqttRules.Rules;

namespace MqttRules.Lifecycle;

/// <summary>
/// The run-time lifecycle state of the rules and notifiers: enabled overrides, mutes and
/// acknowledgements, kept in memory and written through to the <see cref="ILifecycleStore"/> at
/// once (commands are rare). Changed and read on the engine's evaluation thread only. A mute ends
/// on the injected clock: it is forgotten the first time it is read after its end.
/// </summary>
internal sealed class LifecycleState
{
    private readonly ILifecycleStore store;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly Dictionary<string, bool> overrides = new(StringComparer.Ordinal);
    private readonly Dictionary<(LifecycleKind Kind, string Name), DateTimeOffset> mutes = [];
    private readonly HashSet<(string Rule, string Series)> acks = [];

    public LifecycleState(ILifecycleStore store, TimeProvider clock, ILogger logger)
    {
        (this.store, this.clock, this.logger) = (store, clock, logger);
        foreach (var row in store.Load())
        {
            switch (row.Kind)
            {
                case LifecycleKind.Enabled:
                    overrides[row.Name] = row.On;
                    break;
                case LifecycleKind.Ack:
                    acks.Add((row.Name, row.Series));
                    break;
                default:
                    mutes[(row.Kind, row.Name)] = row.Until ?? DateTimeOffset.MinValue;
                    break;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="rule"/> is in force: its run-time override, else its <c>enabled:</c>. An
    /// override the file now agrees with is forgotten, so the file's next change of <c>enabled:</c> wins.
    /// </summary>
    public bool Enabled(Rule rule)
    {
        if (!overrides.TryGetValue(rule.Id, out var on))
        {
            return rule.Enabled;
        }

        if (on == rule.Enabled)
        {
            overrides.Remove(rule.Id);
            store.Delete(LifecycleKind.Enabled, rule.Id);
        }

        return on;
    }

    /// <summary>Switches <paramref name="rule"/> on or off until the next command or the next change of its <c>enabled:</c>.</summary>
    public void SetEnabled(Rule rule, bool on)
    {
        if (on == rule.Enabled)
        {
            overrides.Remove(rule.Id);
            store.Delete(LifecycleKind.Enabled, rule.Id);
            return;
        }

        overrides[rule.Id] = on;
        store.Put(new LifecycleRow(LifecycleKind.Enabled, rule.Id, On: on));
    }

    /// <summary>
    /// When the mute of the rule or notifier <paramref name="name"/> ends, or null when it is not muted
    /// at <paramref name="at"/> (the time of the event: timers run at their own time; default: the clock's).
    /// </summary>
    public DateTimeOffset? MutedUntil(LifecycleKind kind, string name, DateTimeOffset? at = null)
    {
        if (mutes.Count == 0 || !mutes.TryGetValue((kind, name), out var until))
        {
            return null;
        }

        if (until > (at ?? clock.GetUtcNow()))
        {
            return until;
        }

        mutes.Remove((kind, name));
        store.Delete(kind, name);
        LifecycleLog.MuteEnded(logger, What(kind), name);
        return null;
    }

    /// <summary>Mutes until <paramref name="until"/>; null unmutes.</summary>
    public void Mute(LifecycleKind kind, string name, DateTimeOffset? until)
    {
        if (until is { } end)
        {
            mutes[(kind, name)] = end;
            store.Put(new LifecycleRow(kind, name, Until: end));
        }
        else if (mutes.Remove((kind, name)))
        {
            store.Delete(kind, name);
        }
    }

    public bool Acknowledged(string rule, string series) => acks.Count > 0 && acks.Contains((rule, series));

    public void Acknowledge(string rule, string series)
    {
        if (acks.Add((rule, series)))
        {
            store.Put(new LifecycleRow(LifecycleKind.Ack, rule, series));
        }
    }

    /// <summary>Forgets an acknowledgement (the series resolved, or is no longer firing).</summary>
    public void Unacknowledge(string rule, string series)
    {
        if (acks.Remove((rule, series)))
        {
            store.Delete(LifecycleKind.Ack, rule, series);
        }
    }

    /// <summary>Forgets the acknowledgements of series for which <paramref name="stillFiring"/> is false (start, reload).</summary>
    public void KeepAcks(Func<string, string, bool> stillFiring)
    {
        foreach (var (rule, series) in acks.ToArray())
        {
            if (!stillFiring(rule, series))
            {
                Unacknowledge(rule, series);
            }
        }
    }

    public static string What(LifecycleKind kind) => kind == LifecycleKind.MuteNotifier ? "notifier" : "rule";
}
