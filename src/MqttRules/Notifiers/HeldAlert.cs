namespace MqttRules.Notifiers;

/// <summary>
/// An alert a notifier holds back: its place (<see cref="Seq"/>, never reused), when it arrived, when
/// it goes out on its own (quiet hours of a notifier that does not group; null: with its group's
/// digest), its digest line, and the rendered action itself (stored form of the outbox).
/// </summary>
internal sealed record HeldAlert(long Seq, string Notifier, DateTimeOffset At, DateTimeOffset? ReleaseAt, string RuleId, string Line, string ActionJson);

/// <summary>Where held alerts and each notifier's last digest time are kept: in memory (replay) or in the state file (run).</summary>
internal interface IHeldAlerts
{
    /// <summary>Everything held, oldest first.</summary>
    IReadOnlyList<HeldAlert> Load();

    /// <summary>When each notifier sent its last digest.</summary>
    IReadOnlyDictionary<string, DateTimeOffset> LastDigests();

    void Add(HeldAlert alert);

    /// <summary>Forgets the alerts that went out and, for a digest, records when it did: one transaction.</summary>
    void Release(IReadOnlyList<long> seqs, string notifier, DateTimeOffset? digestAt);
}

/// <summary>Held alerts of one run only (replay, tests).</summary>
internal sealed class MemoryHeldAlerts : IHeldAlerts
{
    private readonly List<HeldAlert> alerts = [];
    private readonly Dictionary<string, DateTimeOffset> digests = new(StringComparer.Ordinal);

    public IReadOnlyList<HeldAlert> Load() => [.. alerts];

    public IReadOnlyDictionary<string, DateTimeOffset> LastDigests() => new Dictionary<string, DateTimeOffset>(digests);

    public void Add(HeldAlert alert) => alerts.Add(alert);

    public void Release(IReadOnlyList<long> seqs, string notifier, DateTimeOffset? digestAt)
    {
        var gone = seqs.ToHashSet();
        alerts.RemoveAll(a => gone.Contains(a.Seq));
        if (digestAt is { } at)
        {
            digests[notifier] = at;
        }
    }
}
