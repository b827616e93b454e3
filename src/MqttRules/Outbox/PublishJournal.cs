using Microsoft.Data.Sqlite;
using MqttRules.Actions;
using MqttRules.Actions.Publish;
using MqttRules.Storage;

namespace MqttRules.Outbox;

/// <summary>A journaled publish: its place in the journal and the action.</summary>
internal sealed record JournaledPublish(long Seq, PublishAction Action);

/// <summary>
/// The <c>publish_journal</c> table: publishes handed to the broker but not yet acknowledged by it,
/// written before the input that caused them is acknowledged (and before the rule state that
/// records their firing), removed once the broker has them. What it holds at start-up is sent again.
/// Plain columns, not JSON: this is on the path of every publish still in flight at a batch's end.
/// The payload is written as the bytes sent (a BLOB); rows of earlier versions hold it as TEXT, read the same.
/// </summary>
internal sealed class PublishJournal(StateDatabase db)
{
    private const string Columns = "seq, id, rule_id, series, event, at, notifier, topic, payload, qos, retain";

    /// <summary>Everything journaled, oldest first.</summary>
    public IReadOnlyList<JournaledPublish> Load()
    {
        var list = new List<JournaledPublish>();
        lock (db.Gate)
        {
            using var cmd = db.Command($"SELECT {Columns} FROM publish_journal ORDER BY seq");
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                list.Add(new JournaledPublish(r.GetInt64(0), new PublishAction
                {
                    Id = r.GetString(1), RuleId = r.GetString(2), Series = r.IsDBNull(3) ? null : r.GetString(3),
                    Event = (RuleEvent)r.GetInt32(4), Time = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)),
                    Notifier = r.IsDBNull(6) ? null : r.GetString(6), Topic = r.GetString(7),
                    Payload = r.IsDBNull(8) ? ReadOnlyMemory<byte>.Empty : r.GetFieldValue<byte[]>(8), Qos = r.GetInt32(9), Retain = r.GetInt32(10) != 0,
                }));
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

    /// <summary>
    /// Adds and removes rows in one transaction (held while the file cannot take writes).
    /// <paramref name="remove"/> is deleted by runs of consecutive places: one statement for a run.
    /// </summary>
    public void Save(IReadOnlyList<JournaledPublish> add, IReadOnlyList<long> remove)
    {
        if (add.Count == 0 && remove.Count == 0)
        {
            return;
        }

        var runs = Runs(remove);
        db.Write(tx =>
        {
            Each(tx, $"INSERT OR REPLACE INTO publish_journal ({Columns}) VALUES ($seq, $id, $rule, $series, $event, $at, $notifier, $topic, $payload, $qos, $retain)",
                add.Count, Bind, "$seq", "$id", "$rule", "$series", "$event", "$at", "$notifier", "$topic", "$payload", "$qos", "$retain");
            Each(tx, "DELETE FROM publish_journal WHERE seq BETWEEN $from AND $to", runs.Count,
                (p, i) => { p[0].Value = runs[i].From; p[1].Value = runs[i].To; }, "$from", "$to");
        });

        void Bind(SqliteParameterCollection p, int i)
        {
            var (seq, a) = (add[i].Seq, add[i].Action);
            object?[] values = [seq, a.Id, a.RuleId, a.Series, (int)a.Event, a.Time.ToUnixTimeMilliseconds(), a.Notifier, a.Topic, a.Payload.ToArray(), a.Qos, a.Retain ? 1 : 0];
            for (var k = 0; k < values.Length; k++)
            {
                p[k].Value = values[k] ?? DBNull.Value;
            }
        }
    }

    /// <summary>A publish the broker refused, or that cost the connection too often: kept in <c>dead_letter</c> with the reason, never sent again.</summary>
    /// <remarks>Its journal row, if any, is removed by the next <see cref="Save"/>.</remarks>
    public void DeadLetter(PublishAction action, int attempts, string reason, DateTimeOffset now)
    {
        var json = OutboxRow.Serialize(action);
        db.Write(tx =>
        {
            using var insert = db.Command(tx, "INSERT OR REPLACE INTO dead_letter (id, kind, action, failed_at, attempts, error) VALUES ($id, 'publish', $action, $now, $a, $err)",
                ("$id", action.Id), ("$action", json), ("$now", now.ToUnixTimeMilliseconds()), ("$a", attempts), ("$err", reason));
            insert.ExecuteNonQuery();
        });
    }

    public long Count()
    {
        lock (db.Gate)
        {
            using var cmd = db.Command("SELECT COUNT(*) FROM publish_journal");
            return (long)cmd.ExecuteScalar()!;
        }
    }

    private static List<(long From, long To)> Runs(IReadOnlyList<long> seqs)
    {
        var sorted = seqs.Order().ToArray();
        var runs = new List<(long From, long To)>();
        foreach (var s in sorted)
        {
            if (runs.Count > 0 && runs[^1].To + 1 >= s)
            {
                runs[^1] = (runs[^1].From, Math.Max(runs[^1].To, s));
            }
            else
            {
                runs.Add((s, s));
            }
        }

        return runs;
    }

    private void Each(SqliteTransaction tx, string sql, int count, Action<SqliteParameterCollection, int> bind, params string[] names)
    {
        if (count == 0)
        {
            return;
        }

        var cmd = db.Prepared(tx, sql, names);
        for (var i = 0; i < count; i++)
        {
            bind(cmd.Parameters, i);
            cmd.ExecuteNonQuery();
        }
    }
}
