using Microsoft.Data.Sqlite;

namespace MqttRules.Storage;

/// <summary>
/// The one SQLite file (<c>MQTTRULES_STATE</c>) holding rule state and the outbox, in WAL mode.
/// One connection, serialised by <see cref="Gate"/>: every statement is short and none waits on the network.
/// </summary>
public sealed class StateDatabase : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS series (
            rule_id TEXT NOT NULL, series TEXT NOT NULL, phase INTEGER NOT NULL,
            since INTEGER, last_fire INTEGER, due INTEGER, last_seen INTEGER,
            last_topic TEXT, last_payload BLOB, last_captures TEXT, extra TEXT,
            PRIMARY KEY (rule_id, series)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, lane TEXT NOT NULL,
            action TEXT NOT NULL, created_at INTEGER NOT NULL, next_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, status INTEGER NOT NULL DEFAULT 0, done_at INTEGER, last_error TEXT);
        CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (status, next_at);
        CREATE TABLE IF NOT EXISTS dead_letter (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, action TEXT NOT NULL, failed_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL, error TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS tweet_spend (at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS named_value (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        """;

    private StateDatabase(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }
    public Lock Gate { get; } = new();

    public static StateDatabase Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            connection.Open();
            var db = new StateDatabase(connection);
            db.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
            db.Execute(Schema);
            OwnerOnly(path);
            return db;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new InvalidOperationException(
                $"Cannot open the state database '{path}' ({ex.Message}); check --state / MQTTRULES_STATE: the folder must exist and be writable, and the file must be an MqttRules state database.", ex);
        }
    }

    /// <summary>
    /// The file holds rendered headers and queued actions: readable by its owner only (0600), the
    /// -wal and -shm files too (SQLite gives files it creates later the database file's mode).
    /// </summary>
    private static void OwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows() || path.Length == 0 || path == ":memory:" || path.StartsWith("file:", StringComparison.Ordinal))
        {
            return;
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            try
            {
                if (File.Exists(file))
                {
                    File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not ours to change (another owner): SQLite already decided whether it can use it.
            }
        }
    }

    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (Gate)
        {
            using var cmd = Command(sql, parameters);
            return cmd.ExecuteNonQuery();
        }
    }

    /// <summary>A command on the shared connection; callers hold <see cref="Gate"/>.</summary>
    public SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd;
    }

    public static long? Millis(DateTimeOffset? t) => t?.ToUnixTimeMilliseconds();

    public static DateTimeOffset? Time(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));

    public void Dispose()
    {
        lock (Gate)
        {
            Connection.Dispose();
        }
    }
}
