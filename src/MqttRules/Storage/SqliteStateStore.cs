using System.Text.Json;
using Microsoft.Data.Sqlite;
using MqttRules.State;

namespace MqttRules.Storage;

/// <summary>Rule series state (phases, cooldown clocks, baselines, last messages) in the <c>series</c> table.</summary>
public sealed class SqliteStateStore(StateDatabase db) : IStateStore
{
    private const string UpsertSql = """
        INSERT INTO series (rule_id, series, phase, since, last_fire, due, last_seen, last_topic, last_payload, last_captures, extra)
        VALUES ($rule, $series, $phase, $since, $fire, $due, $seen, $topic, $payload, $captures, $extra)
        ON CONFLICT (rule_id, series) DO UPDATE SET phase = excluded.phase, since = excluded.since, last_fire = excluded.last_fire,
            due = excluded.due, last_seen = excluded.last_seen, last_topic = excluded.last_topic, last_payload = excluded.last_payload,
            last_captures = excluded.last_captures, extra = excluded.extra
        """;

    public IReadOnlyList<SeriesSnapshot> LoadSeries()
    {
        var list = new List<SeriesSnapshot>();
        lock (db.Gate)
        {
            using var cmd = db.Command("SELECT rule_id, series, phase, since, last_fire, due, last_seen, last_topic, last_payload, last_captures, extra FROM series");
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                list.Add(Read(r));
            }
        }

        return list;
    }

    /// <summary>Saves in one transaction; while the file cannot take writes the save is held (see <see cref="StateDatabase.Write"/>).</summary>
    public void SaveSeries(IReadOnlyCollection<SeriesSnapshot> snapshots)
    {
        if (snapshots.Count == 0)
        {
            return;
        }

        db.Write(tx => Upsert(tx, snapshots));
    }

    public void DeleteSeries(IReadOnlyCollection<(string RuleId, string Series)> keys)
    {
        lock (db.Gate)
        {
            using var tx = db.Connection.BeginTransaction();
            using var cmd = db.Command("DELETE FROM series WHERE rule_id = $rule AND series = $series");
            cmd.Transaction = tx;
            var rule = cmd.Parameters.Add(new SqliteParameter { ParameterName = "$rule" });
            var series = cmd.Parameters.Add(new SqliteParameter { ParameterName = "$series" });
            foreach (var (ruleId, key) in keys)
            {
                rule.Value = ruleId;
                series.Value = key;
                cmd.ExecuteNonQuery();
            }

            tx.Commit();
        }
    }

    public IReadOnlyList<ConfirmationSnapshot> LoadConfirmations() => SqliteConfirmations.Load(db);

    public void SaveConfirmations(IReadOnlyCollection<ConfirmationSnapshot> pending) => SqliteConfirmations.Save(db, pending);

    public string? LoadValue(string key)
    {
        lock (db.Gate)
        {
            using var cmd = db.Command("SELECT value FROM named_value WHERE key = $key", ("$key", key));
            return cmd.ExecuteScalar() as string;
        }
    }

    public void SaveValue(string key, string value) =>
        db.Write(tx =>
        {
            using var cmd = db.Command(tx, "INSERT INTO named_value (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                ("$key", key), ("$value", value));
            cmd.ExecuteNonQuery();
        });

    private static readonly string[] UpsertParameters = ["$rule", "$series", "$phase", "$since", "$fire", "$due", "$seen", "$topic", "$payload", "$captures", "$extra"];

    private void Upsert(Microsoft.Data.Sqlite.SqliteTransaction tx, IReadOnlyCollection<SeriesSnapshot> snapshots)
    {
        var cmd = db.Prepared(tx, UpsertSql, UpsertParameters);
        var p = cmd.Parameters;
        foreach (var s in snapshots)
        {
            object?[] values = [s.RuleId, s.Series, (int)s.Phase, StateDatabase.Millis(s.Since), StateDatabase.Millis(s.LastFire),
                StateDatabase.Millis(s.Due), StateDatabase.Millis(s.LastSeen), s.LastTopic, s.LastPayload,
                s.LastCaptures is null ? null : JsonSerializer.Serialize(s.LastCaptures, StorageJson.Default.StringArray), s.Extra];
            for (var i = 0; i < p.Count; i++)
            {
                p[i].Value = values[i] ?? DBNull.Value;
            }

            cmd.ExecuteNonQuery();
        }
    }

    private static SeriesSnapshot Read(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), (Phase)r.GetInt32(2),
        StateDatabase.Time(r, 3), StateDatabase.Time(r, 4), StateDatabase.Time(r, 5), StateDatabase.Time(r, 6),
        r.IsDBNull(7) ? null : r.GetString(7),
        r.IsDBNull(8) ? null : (byte[])r.GetValue(8),
        r.IsDBNull(9) ? null : JsonSerializer.Deserialize(r.GetString(9), StorageJson.Default.StringArray),
        r.IsDBNull(10) ? null : r.GetString(10));
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string?[]))]
internal sealed partial class StorageJson : System.Text.Json.Serialization.JsonSerializerContext;
