using Microsoft.Data.Sqlite;
using MqttRules.State;
using MqttRules.Storage;

namespace MqttRules.Explaining;

/// <summary>
/// A private copy of a state file (<c>explain --state</c>), taken with SQLite's backup from a
/// read-only connection, so a running engine's file (and its write-ahead log) is read consistently
/// and never changed. Disposing it deletes the copy.
/// </summary>
public sealed class StateCopy : IDisposable
{
    private readonly DirectoryInfo dir;
    private readonly StateDatabase db;

    private StateCopy(DirectoryInfo dir, StateDatabase db)
    {
        this.dir = dir;
        this.db = db;
        Store = new SqliteStateStore(db);
    }

    /// <summary>The copied state, for the engine to start from.</summary>
    public IStateStore Store { get; }

    /// <summary>Copies <paramref name="path"/>; a file that cannot be read is a <see cref="Configuration.ConfigException"/> saying why.</summary>
    public static StateCopy Of(string path)
    {
        var dir = Directory.CreateTempSubdirectory("mqttrules-explain-");
        var copy = Path.Combine(dir.FullName, "state.db");
        try
        {
            var source = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
            var target = new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString();
            using (var from = new SqliteConnection(source))
            using (var to = new SqliteConnection(target))
            {
                from.Open();
                to.Open();
                from.BackupDatabase(to);
            }

            return new StateCopy(dir, StateDatabase.Open(copy));
        }
        catch (Exception ex) when (ex is SqliteException or StateFileException or IOException)
        {
            dir.Delete(recursive: true);
            throw Configuration.ConfigException.For(path, $"cannot read the state file: {ex.Message}");
        }
    }

    public void Dispose()
    {
        db.Dispose();
        try
        {
            dir.Delete(recursive: true);
        }
        catch (IOException)
        {
            // a temporary copy left behind is harmless
        }
    }
}
