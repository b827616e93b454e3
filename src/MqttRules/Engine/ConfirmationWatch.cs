namespace MqttRules.Engine;

/// <summary>
/// The publishes waiting for confirmation: by confirmation topic (an exact topic name, so a message
/// finds its waiters in one lookup) and by due time (a queue whose stale entries are skipped).
/// </summary>
internal sealed class ConfirmationWatch
{
    private readonly Dictionary<(string, string, string), PendingConfirmation> byKey = [];
    private readonly Dictionary<string, List<PendingConfirmation>> byTopic = new(StringComparer.Ordinal);
    private readonly PriorityQueue<(PendingConfirmation Pending, long Version), (DateTimeOffset Due, long Order)> queue = new();
    private long order;

    public int Count => byKey.Count;

    /// <summary>Set when a confirmation was added, moved or ended: the durable copy is out of date.</summary>
    public bool Changed { get; set; }

    public IEnumerable<PendingConfirmation> All => byKey.Values;

    /// <summary>When the next wait ends, or null when none does (stale entries at the head are dropped first).</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            while (queue.TryPeek(out var entry, out var next))
            {
                if (IsCurrent(entry))
                {
                    return next.Due;
                }

                queue.Dequeue();
            }

            return null;
        }
    }

    private bool IsCurrent((PendingConfirmation Pending, long Version) entry) =>
        entry.Pending.Version == entry.Version && byKey.TryGetValue(entry.Pending.Key, out var p) && ReferenceEquals(p, entry.Pending);

    /// <summary>Starts watching; returns the confirmation it replaces (same rule, series and publish topic), or null.</summary>
    public PendingConfirmation? Add(PendingConfirmation p)
    {
        var replaced = byKey.Remove(p.Key, out var old) ? old : null;
        if (replaced is not null)
        {
            Unlist(replaced);
        }

        byKey[p.Key] = p;
        if (!byTopic.TryGetValue(p.Topic, out var list))
        {
            byTopic[p.Topic] = list = [];
        }

        list.Add(p);
        Schedule(p, p.Due);
        return replaced;
    }

    /// <summary>Waits again until <paramref name="due"/> (after a retry, or at start-up).</summary>
    public void Schedule(PendingConfirmation p, DateTimeOffset due)
    {
        p.Due = due;
        p.Version++;
        queue.Enqueue((p, p.Version), (due, order++));
        Changed = true;
    }

    public void Remove(PendingConfirmation p)
    {
        if (byKey.TryGetValue(p.Key, out var current) && ReferenceEquals(current, p))
        {
            byKey.Remove(p.Key);
            Unlist(p);
        }
    }

    /// <summary>The confirmations waiting for a message on <paramref name="topic"/>, or null.</summary>
    public List<PendingConfirmation>? On(string topic) => byKey.Count == 0 ? null : byTopic.GetValueOrDefault(topic);

    /// <summary>Takes the next confirmation whose wait ended at or before <paramref name="now"/>.</summary>
    public bool TryTakeDue(DateTimeOffset now, out PendingConfirmation pending, out DateTimeOffset due)
    {
        while (queue.TryPeek(out var entry, out var next) && next.Due <= now)
        {
            queue.Dequeue();
            if (IsCurrent(entry))
            {
                (pending, due) = (entry.Pending, next.Due);
                return true;
            }
        }

        (pending, due) = (null!, default);
        return false;
    }

    private void Unlist(PendingConfirmation p)
    {
        p.Version++;
        Changed = true;
        if (byTopic.TryGetValue(p.Topic, out var list))
        {
            list.Remove(p);
            if (list.Count == 0)
            {
                byTopic.Remove(p.Topic);
            }
        }
    }
}
