using Microsoft.Data.Sqlite;
using MqttRules.Storage;

namespace MqttRules.Notifiers;

/// <summary>
/// The <c>notifier_held</c> and <c>notifier_digest</c> tables of the state file: alerts held by a
/// grouping notifier or by quiet hours survive a restart, and so does the time of each notifier's last digest.
/// </summary>
internal sealed class SqliteHeldAlerts : IHeldAlerts
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS notifier_held (
            seq INTEGER PRIMARY KEY, notifier TEXT NOT NULL, at INTEGER NOT NULL, release_at INTEGER,
            rule_id TEXT NOT NULL, line TEXT NOT NULL, action TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS notifier_digest (notifier TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
        """;

    private readonly StateDatabase db;

    public SqliteHeldAlerts(StateDatabase db)
    {
        this.db = db;
        db.Execute(Schema);
    }

    public IReadOnlyList<HeldAlert> Load()
    {
        var list = new List<HeldAlert>();
        lock (db.Gate)
        {
            using var cmd = db.Command("SELECT seq, notifier, at, release_at, rule_id, line, action FROM notifier_held ORDER BY seq");
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                list.Add(new HeldAlert(r.GetInt64(0), r.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)), StateDatabase.Time(r, 3),
                    r.GetString(4), r.GetString(5), r.GetString(6)));
            }
        }

        return list;
    }

    public IReadOnlyDictionary<string, DateTimeOffset> LastDigests()
    {
        var map = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        lock (db.Gate)
        {
            using var cmd = db.Command("SELECT notifier, at FROM notifier_digest");
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                map[r.GetString(0)] = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1));
            }
        }

        return map;
    }

    public void Add(HeldAlert a) => db.Write(tx => Run(tx,
        "INSERT OR REPLACE INTO notifier_held (seq, notifier, at, release_at, rule_id, line, action) VALUES ($seq, $n, $at, $rel, $rule, $line, $action)",
        ("$seq", a.Seq), ("$n", a.Notifier), ("$at", a.At.ToUnixTimeMilliseconds()), ("$rel", StateDatabase.Millis(a.ReleaseAt)),
        ("$rule", a.RuleId), ("$line", a.Line), ("$action", a.ActionJson)));

    public void Release(IReadOnlyList<long> seqs, string notifier, DateTimeOffset? digestAt) => db.Write(tx =>
    {
        foreach (var seq in seqs)
        {
            Run(tx, "DELETE FROM notifier_held WHERE seq = $seq", ("$seq", seq));
        }

        if (digestAt is { } at)
        {
            Run(tx, "INSERT OR REPLACE INTO notifier_digest (notifier, at) VALUES ($n, $at)", ("$n", notifier), ("$at", at.ToUnixTimeMilliseconds()));
        }
    });

    private void Run(SqliteTransaction tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = db.Command(tx, sql, parameters);
        cmd.ExecuteNonQuery();
    }
}
