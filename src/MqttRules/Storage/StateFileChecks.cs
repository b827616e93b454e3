using System.Text;
using Microsoft.Data.Sqlite;

namespace MqttRules.Storage;

/// <summary>The state file cannot be used; the message is one line saying what is wrong and what to do.</summary>
internal sealed class StateFileException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>SQLite's primary result codes that the state file's checks tell apart (sqlite.org/rescode.html).</summary>
internal static class SqliteCodes
{
    public const int Permission = 3;
    public const int Busy = 5;
    public const int Locked = 6;
    public const int NoMemory = 7;
    public const int ReadOnly = 8;
    public const int IoError = 10;
    public const int Corrupt = 11;
    public const int Full = 13;
    public const int CantOpen = 14;
    public const int NotADatabase = 26;
}

/// <summary>
/// Checks of the state file at start-up, so that a file that cannot be used stops the program with
/// advice instead of a stack trace, and a damaged or emptied file is never silently replaced by fresh state.
/// </summary>
internal static class StateFileChecks
{
    private const string Fix = "restore it from a backup, or move it away to start with empty state (firing rules, cooldowns, baselines and undelivered actions are then forgotten)";
    private static readonly byte[] Header = Encoding.ASCII.GetBytes("SQLite format 3\0");

    /// <summary>What can be told before SQLite opens the file.</summary>
    public static void BeforeOpen(string path)
    {
        if (Directory.Exists(path))
        {
            throw Problem(path, "is a folder, not a file; point --state / MQTTRULES_STATE at a file inside it, e.g. " + Path.Combine(path, "mqttrules-state.db"));
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
        {
            throw Problem(path, $"cannot be created: the folder '{folder}' does not exist; create it or point --state / MQTTRULES_STATE elsewhere");
        }

        if (!File.Exists(path))
        {
            return;
        }

        var head = new byte[Header.Length];
        int read;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        if (read == 0 && !HasWal(path))
        {
            throw Problem(path, "is empty (0 bytes), so its state was lost (truncated?); " + Fix);
        }

        if (read > 0 && (read < Header.Length || !head.AsSpan().SequenceEqual(Header)))
        {
            throw Problem(path, "is not an SQLite database (corrupted, or another file); " + Fix);
        }
    }

    /// <summary>A new file whose first writes are still in its write-ahead log is empty but not lost.</summary>
    private static bool HasWal(string path) => new FileInfo(path + "-wal") is { Exists: true, Length: > 0 };

    /// <summary><c>PRAGMA quick_check</c>: a damaged page stops the start, not a delivery later.</summary>
    public static void Integrity(StateDatabase db, string path)
    {
        using var cmd = db.Command("PRAGMA quick_check(1)");
        var result = cmd.ExecuteScalar() as string;
        if (!string.Equals(result, "ok", StringComparison.Ordinal))
        {
            throw Problem(path, $"is damaged (integrity check: {OneLine(result)}); " + Fix);
        }
    }

    /// <summary>Turns SQLite's error at open into advice.</summary>
    public static StateFileException Explain(string path, SqliteException ex)
    {
        var what = (ex.SqliteErrorCode & 0xFF) switch
        {
            SqliteCodes.ReadOnly or SqliteCodes.Permission or SqliteCodes.CantOpen =>
                "cannot be written (read-only file, folder or file system?); make it and its folder writable by this user, or point --state / MQTTRULES_STATE elsewhere",
            SqliteCodes.Full => "cannot be written: the disk is full; free some space and start again",
            SqliteCodes.NotADatabase => "is not an SQLite database (corrupted, or another file); " + Fix,
            SqliteCodes.Corrupt => "is damaged; " + Fix,
            SqliteCodes.IoError => "cannot be read or written (I/O error); check the disk, then start again",
            _ => "cannot be used; check --state / MQTTRULES_STATE",
        };
        return Problem(path, $"{what} (SQLite: {OneLine(ex.Message)})", ex);
    }

    private static StateFileException Problem(string path, string what, Exception? inner = null) =>
        new($"the state file '{path}' {what}", inner);

    private static string OneLine(string? text) => (text ?? "no result").ReplaceLineEndings(" ");
}
