namespace MqttRules.State;

/// <summary>A series' durable state as stored; <see cref="Extra"/> is JSON owned by the rule's method.</summary>
public sealed record SeriesSnapshot(
    string RuleId,
    string Series,
    Phase Phase,
    DateTimeOffset? Since,
    DateTimeOffset? LastFire,
    DateTimeOffset? Due,
    DateTimeOffset? LastSeen,
    string? LastTopic,
    byte[]? LastPayload,
    string?[]? LastCaptures,
    string? Extra);

/// <summary>Where firing states, cooldown clocks and baselines survive restarts.</summary>
public interface IStateStore
{
    IReadOnlyList<SeriesSnapshot> LoadSeries();

    void SaveSeries(IReadOnlyCollection<SeriesSnapshot> snapshots);

    /// <summary>A named value kept across restarts (the history that history functions read), or null.</summary>
    string? LoadValue(string key) => null;

    void SaveValue(string key, string value)
    {
    }

    /// <summary>The publishes that waited for confirmation when the engine stopped.</summary>
    IReadOnlyList<ConfirmationSnapshot> LoadConfirmations() => [];

    /// <summary>Replaces the stored confirmations with <paramref name="pending"/> (all of them).</summary>
    void SaveConfirmations(IReadOnlyCollection<ConfirmationSnapshot> pending)
    {
    }

    /// <summary>Forgets series (evicted by the series limit); a store without rows for them does nothing.</summary>
    void DeleteSeries(IReadOnlyCollection<(string RuleId, string Series)> keys)
    {
    }
}

/// <summary>No durability: replay and tests.</summary>
internal sealed class NullStateStore : IStateStore
{
    public static NullStateStore Instance { get; } = new();

    public IReadOnlyList<SeriesSnapshot> LoadSeries() => [];

    public void SaveSeries(IReadOnlyCollection<SeriesSnapshot> snapshots)
    {
    }
}
