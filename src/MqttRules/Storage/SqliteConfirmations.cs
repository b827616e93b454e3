using System.Text.Json;
using System.Text.Json.Serialization;
using MqttRules.State;

namespace MqttRules.Storage;

/// <summary>The publishes waiting for confirmation, in the <c>confirmation</c> table (one JSON row each).</summary>
internal static class SqliteConfirmations
{
    public static List<ConfirmationSnapshot> Load(StateDatabase db)
    {
        var list = new List<ConfirmationSnapshot>();
        lock (db.Gate)
        {
            using var cmd = db.Command("SELECT data FROM confirmation ORDER BY due");
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                if (JsonSerializer.Deserialize(r.GetString(0), ConfirmationJson.Default.ConfirmationSnapshot) is { } snap)
                {
                    list.Add(snap);
                }
            }
        }

        return list;
    }

    /// <summary>Replaces every row in one transaction; held while the file cannot take writes, like every engine write.</summary>
    public static void Save(StateDatabase db, IReadOnlyCollection<ConfirmationSnapshot> pending)
    {
        var rows = pending.ToArray();
        db.Write(tx =>
        {
            using (var clear = db.Command(tx, "DELETE FROM confirmation"))
            {
                clear.ExecuteNonQuery();
            }

            foreach (var p in rows)
            {
                using var cmd = db.Command(tx, "INSERT INTO confirmation (rule_id, series, topic, due, data) VALUES ($rule, $series, $topic, $due, $data)",
                    ("$rule", p.RuleId), ("$series", p.Series ?? ""), ("$topic", p.Topic), ("$due", StateDatabase.Millis(p.Due)),
                    ("$data", JsonSerializer.Serialize(p, ConfirmationJson.Default.ConfirmationSnapshot)));
                cmd.ExecuteNonQuery();
            }
        });
    }
}

[JsonSerializable(typeof(ConfirmationSnapshot))]
internal sealed partial class ConfirmationJson : JsonSerializerContext;
