using Microsoft.Data.Sqlite;

namespace MqttRules.Storage;

/// <summary>
/// The one SQLite file (<c>MQTTRULES_STATE</c>) holding rule state, the publish journal and the
/// outbox, in WAL mode. One connection, serialised by <see cref="Gate"/>: every statement is short
/// and none waits on the network. Writes of the engine go through <see cref="Write"/>: when the
/// file cannot take them (disk full, read-only, I/O error) they are held in order and retried by
/// <see cref="RetryHeld"/>, so nothing the engine handed over is lost and the engine loop knows
/// not to acknowledge its input (<see cref="Healthy"/>).
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
        CREATE TABLE IF NOT EXISTS publish_journal (
            seq INTEGER PRIMARY KEY, id TEXT NOT NULL, rule_id TEXT NOT NULL, series TEXT, event INTEGER NOT NULL, at INTEGER NOT NULL,
            notifier TEXT, topic TEXT NOT NULL, payload TEXT, qos INTEGER NOT NULL, retain INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS confirmation (
            rule_id TEXT NOT NULL, series TEXT NOT NULL, topic TEXT NOT NULL, due INTEGER NOT NULL, data TEXT NOT NULL,
            PRIMARY KEY (rule_id, series, topic)) WITHOUT ROWID;
        """;

    private readonly List<Action<SqliteTransaction>> held = [];

    /// <summary>Transactions of <see cref="Write"/> between two checkpoints on <see cref="checkpointer"/>'s thread.</summary>
    private const int CheckpointEvery = 256;

    /// <summary>
    /// WAL pages after which a commit checkpoints by itself, on the engine's thread: only a backstop
    /// (about 40 MB), for writes that come faster than the background checkpoints.
    /// </summary>
    private const int AutoCheckpointPages = 10_000;

    private readonly string? checkpointPath;
    private readonly Lock checkpointGate = new();
    private SqliteConnection? checkpointer;
    private int commitsSinceCheckpoint;
    private int checkpointing;
    private bool disposed;

    private StateDatabase(SqliteConnection connection, string? checkpointPath = null)
    {
        Connection = connection;
        this.checkpointPath = checkpointPath;
    }

    public SqliteConnection Connection { get; }
    public Lock Gate { get; } = new();

    /// <summary>False while writes are held because the file cannot take them.</summary>
    public bool Healthy
    {
        get
        {
            lock (Gate)
            {
                return held.Count == 0;
            }
        }
    }

    /// <summary>Why the held writes could not be written (the last storage error), or null.</summary>
    public string? Problem { get; private set; }

    /// <summary>Opens (or creates) the state file; a file that is unusable is a <see cref="StateFileException"/> saying what to do.</summary>
    public static StateDatabase Open(string path)
    {
        StateFileChecks.BeforeOpen(path);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            connection.Open();
            var onDisk = path.Length > 0 && path != ":memory:" && !path.StartsWith("file:", StringComparison.Ordinal);
            var db = new StateDatabase(connection, onDisk ? path : null);
            db.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
            if (onDisk)
            {
                db.Execute($"PRAGMA wal_autocheckpoint={AutoCheckpointPages};");
            }

            StateFileChecks.Integrity(db, path);
            db.Execute(Schema);
            db.Execute("INSERT INTO named_value (key, value) VALUES ('schema', '1') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
            OwnerOnly(path);
            return db;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw StateFileChecks.Explain(path, ex);
        }
        catch (StateFileException)
        {
            connection.Dispose();
            throw;
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

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction now, or, while the file cannot take writes (or
    /// earlier writes are still held), holds it for <see cref="RetryHeld"/>; false when held. Work
    /// may run again after a failed attempt, so it must only write.
    /// </summary>
    public bool Write(Action<SqliteTransaction> work)
    {
        lock (Gate)
        {
            if (held.Count == 0 && TryRun([work]))
            {
                return true;
            }

            held.Add(work);
            return false;
        }
    }

    /// <summary>Writes everything held, in order, in one transaction; true when nothing is held any more.</summary>
    public bool RetryHeld()
    {
        lock (Gate)
        {
            if (held.Count == 0 || !TryRun(held))
            {
                return held.Count == 0;
            }

            held.Clear();
            Problem = null;
            return true;
        }
    }

    private bool TryRun(List<Action<SqliteTransaction>> work)
    {
        var tx = Connection.BeginTransaction();
        try
        {
            foreach (var w in work)
            {
                w(tx);
            }

            tx.Commit();
            tx.Dispose();
            Committed();
            return true;
        }
        catch (SqliteException ex) when (IsStorageFailure(ex))
        {
            Problem = ex.Message;
            RollBack(tx);
            return false;
        }
        catch
        {
            RollBack(tx);
            throw;
        }
    }

    /// <summary>
    /// Every <see cref="CheckpointEvery"/> transactions, copies the WAL into the database file on a
    /// thread-pool thread with a connection of its own (a passive checkpoint: writers go on meanwhile).
    /// With SQLite's own automatic checkpoint the commit that crossed 1,000 pages did it, with two
    /// fsyncs, on the engine's thread: a 15 ms stall of evaluation every few seconds at 2,000 msg/s.
    /// </summary>
    private void Committed()
    {
        if (checkpointPath is null || ++commitsSinceCheckpoint < CheckpointEvery)
        {
            return;
        }

        commitsSinceCheckpoint = 0;
        if (Interlocked.Exchange(ref checkpointing, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static db => db.Checkpoint(), this, preferLocal: false);
        }
    }

    private void Checkpoint()
    {
        try
        {
            lock (checkpointGate)
            {
                if (disposed)
                {
                    return;
                }

                if (checkpointer is null)
                {
                    checkpointer = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = checkpointPath, Pooling = false }.ToString());
                    checkpointer.Open();
                }

                using var cmd = checkpointer.CreateCommand();
                cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                cmd.ExecuteNonQuery();
            }
        }
        catch (SqliteException)
        {
            // Full disk, I/O error: the WAL keeps the data; the next checkpoint (or SQLite's own) tries again.
        }
        finally
        {
            Volatile.Write(ref checkpointing, 0);
        }
    }

    /// <summary>SQLite may already have rolled back on a full disk: a second rollback is no error.</summary>
    private static void RollBack(SqliteTransaction tx)
    {
        try
        {
            tx.Dispose();
        }
        catch (SqliteException)
        {
        }
    }

    /// <summary>The file cannot take the write now, but may later: full, read-only, I/O error, locked.</summary>
    internal static bool IsStorageFailure(SqliteException ex) => (ex.SqliteErrorCode & 0xFF) is
        SqliteCodes.Full or SqliteCodes.IoError or SqliteCodes.ReadOnly or SqliteCodes.Busy or SqliteCodes.Locked
        or SqliteCodes.CantOpen or SqliteCodes.NoMemory or SqliteCodes.Permission;

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

    /// <summary>
    /// A command for <paramref name="sql"/> prepared once and kept (callers hold <see cref="Gate"/>
    /// and do not dispose it), taking part in <paramref name="tx"/>, with one parameter per name,
    /// in order, for the caller to set. For the statements of every commit: parsing them again at
    /// each one cost more than running them.
    /// </summary>
    public SqliteCommand Prepared(SqliteTransaction tx, string sql, params string[] parameterNames)
    {
        if (!prepared.TryGetValue(sql, out var cmd))
        {
            cmd = Connection.CreateCommand();
            cmd.CommandText = sql;
            foreach (var name in parameterNames)
            {
                cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            cmd.Prepare();
            prepared[sql] = cmd;
        }

        cmd.Transaction = tx;
        return cmd;
    }

    private readonly Dictionary<string, SqliteCommand> prepared = new(StringComparer.Ordinal);

    /// <summary>A command taking part in <paramref name="tx"/>.</summary>
    public SqliteCommand Command(SqliteTransaction tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = Command(sql, parameters);
        cmd.Transaction = tx;
        return cmd;
    }

    public static long? Millis(DateTimeOffset? t) => t?.ToUnixTimeMilliseconds();

    public static DateTimeOffset? Time(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));

    public void Dispose()
    {
        lock (checkpointGate)
        {
            disposed = true;
            checkpointer?.Dispose();
            checkpointer = null;
        }

        lock (Gate)
        {
            foreach (var cmd in prepared.Values)
            {
                cmd.Dispose();
            }

            prepared.Clear();
            Connection.Dispose();
        }
    }
}
