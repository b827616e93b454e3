using MqttRules.Rules;

namespace MqttRules.Lifecycle;

/// <summary>
/// Flap detection of one series (<c>flap: {changes, within}</c>): the times of its latest fires and
/// resolves; it flaps once <see cref="FlapSpec.Changes"/> of them fall within <see cref="FlapSpec.Within"/>,
/// and settles once none has come for <see cref="FlapSpec.Within"/>. Kept in memory only: after a
/// restart a series starts with no history of changes.
/// </summary>
internal sealed class FlapWatch
{
    private readonly Queue<DateTimeOffset> changes = new();

    public bool Flapping => Since is not null;

    /// <summary>When the series started flapping, or null.</summary>
    public DateTimeOffset? Since { get; private set; }

    public DateTimeOffset LastChange { get; private set; }

    /// <summary>What the last notification sent said: true firing, false resolved, null none yet.</summary>
    public bool? Announced { get; set; }

    /// <summary>Records a fire or resolve at <paramref name="now"/>; true when this change makes the series flap.</summary>
    public bool Record(DateTimeOffset now, FlapSpec spec)
    {
        LastChange = now;
        changes.Enqueue(now);
        while (changes.Count > spec.Changes || changes.Peek() <= now - spec.Within)
        {
            changes.Dequeue();
        }

        if (Flapping || changes.Count < spec.Changes)
        {
            return false;
        }

        Since = now;
        return true;
    }

    /// <summary>When a flapping series settles if nothing changes before.</summary>
    public DateTimeOffset SettlesAt(FlapSpec spec) => LastChange + spec.Within;

    /// <summary>Whether a flapping series has been stable for <see cref="FlapSpec.Within"/> at <paramref name="now"/>.</summary>
    public bool Settled(DateTimeOffset now, FlapSpec spec) => Flapping && now >= SettlesAt(spec);

    /// <summary>Ends the flapping: notifications resume, counting changes afresh.</summary>
    public void Resume()
    {
        Since = null;
        changes.Clear();
    }
}
