using MqttRules.Actions;
using MqttRules.Actions.Tweet;
using MqttRules.Storage;

namespace MqttRules.Outbox;

/// <summary>The <c>outbox</c>, <c>dead_letter</c> and <c>tweet_spend</c> tables. Status: 0 pending, 1 delivered, 2 dead.</summary>
internal sealed class OutboxStore(StateDatabase db)
{
    private Microsoft.Data.Sqlite.SqliteCommand? insert;
    private readonly HashSet<string> settled = new(StringComparer.Ordinal);

    private const string Insert = """
        INSERT OR IGNORE INTO outbox (id, kind, lane, action, created_at, next_at) VALUES ($id, $kind, $lane, $action, $now, $now)
        """;

    /// <summary>
    /// Stores an action once (keyed by its id); false if that id was stored before. While the file
    /// cannot take writes the row is held by <see cref="StateDatabase.Write"/> and counts as stored.
    /// </summary>
    public bool Add(ExternalAction action, DateTimeOffset now)
    {
        var added = true;
        return !db.Write(tx => added = AddLocked(action, now, tx)) || added;
    }

    /// <summary>Stores a tweet if the rolling 24 h budget allows; null when over budget, else as <see cref="Add"/>.</summary>
    public bool? AddTweet(ExternalAction action, DateTimeOffset now, int budget)
    {
        bool? added = true;
        return db.Write(tx => added = AddTweetLocked(tx, action, now, budget)) ? added : true;
    }

    private bool? AddTweetLocked(Microsoft.Data.Sqlite.SqliteTransaction tx, ExternalAction action, DateTimeOffset now, int budget)
    {
        using var count = db.Command(tx, "SELECT COUNT(*) FROM tweet_spend WHERE at > $since", ("$since", (now - TimeSpan.FromDays(1)).ToUnixTimeMilliseconds()));
        if ((long)count.ExecuteScalar()! >= budget)
        {
            return null;
        }

        var added = AddLocked(action, now, tx);
        if (added)
        {
            using var spend = db.Command(tx, "INSERT INTO tweet_spend (at) VALUES ($at)", ("$at", now.ToUnixTimeMilliseconds()));
            spend.ExecuteNonQuery();
        }

        return added;
    }

    /// <summary>
    /// Rows due now, oldest first, at most <paramref name="perLane"/> per lane so that a backed-up lane
    /// never hides the rows of the others.
    /// </summary>
    public IReadOnlyList<OutboxRow> Due(DateTimeOffset now, int limit, int perLane = 10)
    {
        const string sql = """
            SELECT seq, id, kind, lane, action, attempts FROM (
                SELECT seq, id, kind, lane, action, attempts, ROW_NUMBER() OVER (PARTITION BY lane ORDER BY seq) AS n
                FROM outbox WHERE status = 0 AND next_at <= $now)
            WHERE n <= $perLane ORDER BY seq LIMIT $limit
            """;
        var rows = new List<OutboxRow>();
        lock (db.Gate)
        {
            using var cmd = db.Command(sql, ("$now", now.ToUnixTimeMilliseconds()), ("$limit", limit), ("$perLane", perLane));
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                rows.Add(new OutboxRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5)));
            }

            if (settled.Count > 0 && db.Healthy)
            {
                settled.Clear();
            }

            rows.RemoveAll(row => settled.Contains(row.Id));
        }

        return rows;
    }

    /// <summary>When the next row waiting for a later attempt is due (after <paramref name="now"/>), or null when none waits.</summary>
    public DateTimeOffset? NextAttempt(DateTimeOffset now)
    {
        lock (db.Gate)
        {
            using var cmd = db.Command("SELECT MIN(next_at) FROM outbox WHERE status = 0 AND next_at > $now", ("$now", now.ToUnixTimeMilliseconds()));
            return cmd.ExecuteScalar() is long next ? DateTimeOffset.FromUnixTimeMilliseconds(next) : null;
        }
    }

    /// <summary>False while writes are held (the file cannot take them): rows may appear without a wake-up.</summary>
    public bool Writable => db.Healthy;

    /// <remarks>
    /// This and <see cref="Reschedule"/> and <see cref="DeadLetter"/> go through <see cref="StateDatabase.Write"/>:
    /// on a full disk they are held (the engine stops acknowledging input until they are written) instead of failing the lane.
    /// </remarks>
    public void MarkDelivered(string id, DateTimeOffset now) =>
        Settle(id, db.Write(tx => Run(tx, "UPDATE outbox SET status = 1, done_at = $now, last_error = NULL WHERE id = $id", ("$id", id), ("$now", now.ToUnixTimeMilliseconds()))));

    /// <summary>Records a failed round; the row waits until <paramref name="nextAt"/>, the rows behind it do not.</summary>
    public void Reschedule(OutboxRow row, int attempts, DateTimeOffset nextAt, string error) =>
        db.Write(tx => Run(tx, "UPDATE outbox SET attempts = $a, next_at = $next, last_error = $err WHERE id = $id AND status = 0",
            ("$id", row.Id), ("$a", attempts), ("$next", nextAt.ToUnixTimeMilliseconds()), ("$err", error)));

    /// <summary>Holds back a whole lane until <paramref name="nextAt"/> (its peer asked for a pause: a rate limit).</summary>
    public void HoldLane(string lane, DateTimeOffset nextAt) =>
        db.Write(tx => Run(tx, "UPDATE outbox SET next_at = $next WHERE lane = $lane AND status = 0 AND next_at < $next",
            ("$lane", lane), ("$next", nextAt.ToUnixTimeMilliseconds())));

    public void DeadLetter(OutboxRow row, int attempts, string error, DateTimeOffset now) =>
        Settle(row.Id, db.Write(tx => DeadLetterLocked(tx, row, attempts, error, now)));

    /// <summary>
    /// Dead-letters the row and, in the same transaction, stores the first of <paramref name="next"/>
    /// and the channels after it that takes the alert (a tweet over the rolling budget does not): a
    /// restart between the two can neither lose the alert nor send it twice. Returns the channel that
    /// took it, or null when none did.
    /// </summary>
    public ExternalAction? DeadLetterAndFallThrough(OutboxRow row, int attempts, string error, DateTimeOffset now, ExternalAction next, int tweetBudget)
    {
        ExternalAction? taken = null;
        Settle(row.Id, db.Write(tx =>
        {
            DeadLetterLocked(tx, row, attempts, error, now);
            taken = null;
            for (var c = next; c is not null; c = c.NextChannel() as ExternalAction)
            {
                var added = c is TweetAction ? AddTweetLocked(tx, c, now, tweetBudget) : AddLocked(c, now, tx);
                if (added is not null)
                {
                    taken = c;
                    return;
                }
            }
        }));
        return taken;
    }

    private void DeadLetterLocked(Microsoft.Data.Sqlite.SqliteTransaction tx, OutboxRow row, int attempts, string error, DateTimeOffset now)
    {
        Run(tx, "INSERT OR REPLACE INTO dead_letter (id, kind, action, failed_at, attempts, error) VALUES ($id, $kind, $action, $now, $a, $err)",
            ("$id", row.Id), ("$kind", row.Kind), ("$action", row.ActionJson), ("$now", now.ToUnixTimeMilliseconds()), ("$a", attempts), ("$err", error));
        Run(tx, "UPDATE outbox SET status = 2, attempts = $a, done_at = $now, last_error = $err WHERE id = $id",
            ("$id", row.Id), ("$a", attempts), ("$now", now.ToUnixTimeMilliseconds()), ("$err", error));
    }

    /// <summary>A row delivered or dead-lettered whose status write is held is not due again meanwhile.</summary>
    private void Settle(string id, bool written)
    {
        if (!written)
        {
            lock (db.Gate)
            {
                settled.Add(id);
            }
        }
    }

    public long Pending() => Scalar("SELECT COUNT(*) FROM outbox WHERE status = 0");

    public long Delivered() => Scalar("SELECT COUNT(*) FROM outbox WHERE status = 1");

    public long DeadLetters() => Scalar("SELECT COUNT(*) FROM dead_letter");

    /// <summary>Rows still to deliver that have failed at least once (waiting for their next attempt).</summary>
    public long Retrying() => Scalar("SELECT COUNT(*) FROM outbox WHERE status = 0 AND attempts > 0");

    /// <summary>The newest <paramref name="limit"/> dead letters, newest first (the status page); the action itself is left out.</summary>
    public IReadOnlyList<DeadLetterRow> RecentDeadLetters(int limit)
    {
        var rows = new List<DeadLetterRow>();
        lock (db.Gate)
        {
            using var cmd = db.Command("SELECT id, kind, failed_at, attempts, error FROM dead_letter ORDER BY failed_at DESC, id LIMIT $limit", ("$limit", limit));
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                rows.Add(new DeadLetterRow(r.GetString(0), r.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)), r.GetInt32(3), r.GetString(4)));
            }
        }

        return rows;
    }

    /// <summary>Forgets delivered rows older than <paramref name="keep"/> and spend older than a day.</summary>
    public void Prune(DateTimeOffset now, TimeSpan keep)
    {
        db.Execute("DELETE FROM outbox WHERE status <> 0 AND done_at < $before", ("$before", (now - keep).ToUnixTimeMilliseconds()));
        db.Execute("DELETE FROM tweet_spend WHERE at <= $before", ("$before", (now - TimeSpan.FromDays(1)).ToUnixTimeMilliseconds()));
    }

    /// <summary>The hot path (engine thread): one prepared INSERT reused for every action.</summary>
    private bool AddLocked(ExternalAction action, DateTimeOffset now, Microsoft.Data.Sqlite.SqliteTransaction? tx = null)
    {
        if (insert is null)
        {
            insert = db.Command(Insert, ("$id", ""), ("$kind", ""), ("$lane", ""), ("$action", ""), ("$now", 0L));
            insert.Prepare();
        }

        var p = insert.Parameters;
        p[0].Value = action.Id;
        p[1].Value = action.KindText;
        p[2].Value = action.DeliveryLane();
        p[3].Value = OutboxRow.Serialize(action);
        p[4].Value = now.ToUnixTimeMilliseconds();
        insert.Transaction = tx;
        try
        {
            return insert.ExecuteNonQuery() == 1;
        }
        finally
        {
            insert.Transaction = null;
        }
    }

    private void Run(Microsoft.Data.Sqlite.SqliteTransaction tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = db.Command(tx, sql, parameters);
        cmd.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        lock (db.Gate)
        {
            using var cmd = db.Command(sql);
            return (long)cmd.ExecuteScalar()!;
        }
    }
}
