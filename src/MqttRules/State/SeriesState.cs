namespace MqttRules.State;

/// <summary>Where one series of one rule stands. Actions run only on transitions between phases.</summary>
public enum Phase : byte
{
    Idle,

    /// <summary><c>when</c> holds; waiting for <c>for:</c> to pass.</summary>
    Pending,

    /// <summary>A fire is due but held back by <c>cooldown:</c>.</summary>
    HeldBack,
    Firing,
}

/// <summary>
/// The latest message of a series, kept to render deferred fires, repeats and resolves. A series is
/// one topic, so the next message of the series replaces only the payload (no new snapshot per message).
/// </summary>
internal sealed record MessageSnapshot(string Topic, ReadOnlyMemory<byte> Payload, string?[] Captures)
{
    public ReadOnlyMemory<byte> Payload { get; set; } = Payload;
}

/// <summary>The state of one rule for one series (one concrete topic, or the rule itself for schedules).</summary>
internal sealed class SeriesState(string series)
{
    public string Series { get; } = series;
    public Phase Phase { get; set; }

    /// <summary>When <c>when</c> first held in the current excursion.</summary>
    public DateTimeOffset? Since { get; set; }
    public DateTimeOffset? LastFire { get; set; }

    /// <summary>The one timer this series waits for (for, cooldown end, repeat or absent), if any.</summary>
    public DateTimeOffset? Due { get; set; }

    /// <summary>
    /// For the engine's timer queue: the time of the entry it holds for this series (one at a
    /// time, however often <see cref="Due"/> moves later), and the order of the call that set
    /// <see cref="Due"/>, which ranks timers due at the same time.
    /// </summary>
    internal DateTimeOffset? Queued { get; set; }
    internal long DueOrder { get; set; }
    public DateTimeOffset? LastSeen { get; set; }
    public MessageSnapshot? Last { get; set; }

    /// <summary>Flap detection (<c>flap:</c>), created at the series' first fire; null without.</summary>
    internal Lifecycle.FlapWatch? Flap { get; set; }

    /// <summary>The values of the rule's topic captures for this series' topic, and the captures they were taken for (a reload may change them).</summary>
    internal string?[]? Captured { get; set; }
    internal object? CapturedFor { get; set; }

    /// <summary>Method-specific state (anomaly baselines), opaque to the state machine.</summary>
    public object? Extra { get; set; }
}
