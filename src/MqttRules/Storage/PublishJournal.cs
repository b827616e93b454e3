using Microsoft.Data.Sqlite;
using MqttRules.Actions;
using MqttRules.Outbox;

namespace MqttRules.Storage;

/// <summary>A journaled publish: its place in the journal and the action.</summary>
public sealed record JournaledPublish(long Seq, RenderedAction Action);

/// <summary>
/// The <c>publish_journal</c> table: publishes handed to the broker but not yet acknowledged by it,
/// written before the input that caused them is acknowledged (and before the rule state that
/// records their firing), removed once the broker has them. What it holds at start-up is sent again.
/// </summary>
public sealed class PublishJournal(StateDatabase db)
{
    /// <summary>Everything journaled, oldest first; rows that cannot be read go to the dead letters.</summary>
    public IReadOnlyList<JournaledPublish> Load(DateTimeOffset now)
    {
        var rows = new List<(long Seq, string Json)>();
        lock (db.Gate)
        {
            using var cmd = db.Command("SELECT seq, action FROM publish_journal ORDER BY seq");
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                rows.Add((r.GetInt64(0), r.GetString(1)));
            }
        }

        var list = new List<JournaledPublish>(rows.Count);
        foreach (var (seq, json) in rows)
        {
            if (Read(json) is { Kind: Rules.ActionKind.Publish } action)
            {
                list.Add(new JournaledPublish(seq, action));
            }
            else
            {
                db.Write(tx => DeadLetterLocked(tx, seq, "journal-" + seq, json, 0, "the journaled publish cannot be read", now));
            }
        }

        return list;
    }

    /// <summary>The first free place in the journal.</summary>
    public long NextSeq()
    {
        lock (db.Gate)
        {
            using var cmd = db.Command("SELECT COALESCE(MAX(seq), 0) + 1 FROM publish_journal");
            return (long)cmd.ExecuteScalar()!;
        }
    }

    /// <summary>Adds and removes rows in one transaction (held while the file cannot take writes).</summary>
    public void Save(IReadOnlyList<JournaledPublish> add, IReadOnlyList<long> remove)
    {
        if (add.Count == 0 && remove.Count == 0)
        {
            return;
        }

        var json = add.Select(a => OutboxRow.Serialize(a.Action)).ToArray();
        db.Write(tx =>
        {
            Each(tx, "INSERT OR REPLACE INTO publish_journal (seq, action) VALUES ($seq, $action)", add.Count,
                (p, i) => { p[0].Value = add[i].Seq; p[1].Value = json[i]; }, "$seq", "$action");
            Each(tx, "DELETE FROM publish_journal WHERE seq = $seq", remove.Count, (p, i) => p[0].Value = remove[i], "$seq");
        });
    }

    /// <summary>A publish the broker refused, or that cost the connection too often: kept in <c>dead_letter</c> with the reason, never sent again.</summary>
    /// <remarks>Its journal row, if any, is removed by the next <see cref="Save"/>.</remarks>
    public void DeadLetter(RenderedAction action, int attempts, string reason, DateTimeOffset now)
    {
        var json = OutboxRow.Serialize(action);
        db.Write(tx => DeadLetterLocked(tx, null, action.Id, json, attempts, reason, now));
    }

    public long Count()
    {
        lock (db.Gate)
        {
            using var cmd = db.Command("SELECT COUNT(*) FROM publish_journal");
            return (long)cmd.ExecuteScalar()!;
        }
    }

    private static RenderedAction? Read(string json)
    {
        try
        {
            return new OutboxRow(0, "", "publish", "publish", json, 0).Action();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private void DeadLetterLocked(SqliteTransaction tx, long? seq, string id, string json, int attempts, string reason, DateTimeOffset now)
    {
        using var insert = db.Command(tx, "INSERT OR REPLACE INTO dead_letter (id, kind, action, failed_at, attempts, error) VALUES ($id, 'publish', $action, $now, $a, $err)",
            ("$id", id), ("$action", json), ("$now", now.ToUnixTimeMilliseconds()), ("$a", attempts), ("$err", reason));
        insert.ExecuteNonQuery();
        if (seq is not null)
        {
            using var delete = db.Command(tx, "DELETE FROM publish_journal WHERE seq = $seq", ("$seq", seq));
            delete.ExecuteNonQuery();
        }
    }

    private void Each(SqliteTransaction tx, string sql, int count, Action<SqliteParameterCollection, int> bind, params string[] names)
    {
        if (count == 0)
        {
            return;
        }

        using var cmd = db.Command(tx, sql);
        foreach (var n in names)
        {
            cmd.Parameters.Add(new SqliteParameter { ParameterName = n });
        }

        cmd.Prepare();
        for (var i = 0; i < count; i++)
        {
            bind(cmd.Parameters, i);
            cmd.ExecuteNonQuery();
        }
    }
}
