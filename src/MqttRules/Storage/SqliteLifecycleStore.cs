using MqttRules.Lifecycle;

namespace MqttRules.Storage;

/// <summary>
/// Run-time lifecycle state (enabled overrides, mutes, acknowledgements) in its own <c>lifecycle</c>
/// table of the state file, created on first use. Writes go through <see cref="StateDatabase.Write"/>,
/// so a file that cannot take them holds them and retries, as it does for series state.
/// </summary>
public sealed class SqliteLifecycleStore : ILifecycleStore
{
    private readonly StateDatabase db;

    public SqliteLifecycleStore(StateDatabase db)
    {
        this.db = db;
        db.Execute("""
            CREATE TABLE IF NOT EXISTS lifecycle (
                kind INTEGER NOT NULL, name TEXT NOT NULL, series TEXT NOT NULL, until INTEGER, flag INTEGER NOT NULL,
                PRIMARY KEY (kind, name, series)) WITHOUT ROWID;
            """);
    }

    public IReadOnlyList<LifecycleRow> Load()
    {
        var rows = new List<LifecycleRow>();
        lock (db.Gate)
        {
            using var cmd = db.Command("SELECT kind, name, series, until, flag FROM lifecycle");
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                if (Enum.IsDefined((LifecycleKind)r.GetInt32(0)))
                {
                    rows.Add(new LifecycleRow((LifecycleKind)r.GetInt32(0), r.GetString(1), r.GetString(2), StateDatabase.Time(r, 3), r.GetInt32(4) != 0));
                }
            }
        }

        return rows;
    }

    public void Put(LifecycleRow row) => db.Write(tx =>
    {
        using var cmd = db.Command(tx, """
            INSERT INTO lifecycle (kind, name, series, until, flag) VALUES ($kind, $name, $series, $until, $flag)
            ON CONFLICT (kind, name, series) DO UPDATE SET until = excluded.until, flag = excluded.flag
            """,
            ("$kind", (int)row.Kind), ("$name", row.Name), ("$series", row.Series), ("$until", StateDatabase.Millis(row.Until)), ("$flag", row.On ? 1 : 0));
        cmd.ExecuteNonQuery();
    });

    public void Delete(LifecycleKind kind, string name, string series = "") => db.Write(tx =>
    {
        using var cmd = db.Command(tx, "DELETE FROM lifecycle WHERE kind = $kind AND name = $name AND series = $series",
            ("$kind", (int)kind), ("$name", name), ("$series", series));
        cmd.ExecuteNonQuery();
    });
}
