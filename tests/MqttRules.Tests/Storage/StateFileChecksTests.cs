#pragma warning disable CA1707
using MqttRules.Storage;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Storage;

/// <summary>Issue 10.2: a state file that cannot be used stops the start with one line of advice, and is never replaced by fresh state.</summary>
public sealed class StateFileChecksTests
{
    private static StateFileException Refused(string path) => Assert.Throws<StateFileException>(() => StateDatabase.Open(path).Dispose());

    [Fact]
    public void Open_Folder_SaysItIsAFolderAndWhatToUse()
    {
        using var dir = new TempDir();

        var ex = Refused(dir.Path);

        Assert.Contains("is a folder", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(dir.Path, "mqttrules-state.db"), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MissingFolder_SaysTheFolderDoesNotExist()
    {
        using var dir = new TempDir();

        var ex = Refused(Path.Combine(dir.Path, "nope", "state.db"));

        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_EmptyFile_IsAnErrorNotAFreshStart()
    {
        using var dir = new TempDir();
        var path = dir.Write("state.db", "");

        var ex = Refused(path);

        Assert.Contains("is empty (0 bytes)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public void Open_NotAnSqliteFile_SaysSo()
    {
        using var dir = new TempDir();
        var path = dir.Write("state.db", "rules:\n  - id: not a database\n");

        var ex = Refused(path);

        Assert.Contains("is not an SQLite database", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TruncatedFile_IsRefused()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "state.db");
        Fill(path);
        using (var f = new FileStream(path, FileMode.Open))
        {
            f.SetLength(f.Length / 2 + 100);
        }

        var ex = Refused(path);

        Assert.Contains("state file", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_DamagedPage_IsFoundAtStartNotLater()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "state.db");
        Fill(path);
        var bytes = File.ReadAllBytes(path);
        // Scribble over the middle of the file (a b-tree page of the series table), keeping the header.
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + 2048; i++)
        {
            bytes[i] = 0xA5;
        }

        File.WriteAllBytes(path, bytes);

        var ex = Refused(path);

        Assert.Matches("is damaged|not an SQLite database", ex.Message);
        Assert.Contains("restore it from a backup", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NewFileThenReopen_KeepsWorking()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "state.db");
        StateDatabase.Open(path).Dispose();

        using var db = StateDatabase.Open(path);

        Assert.True(db.Healthy);
    }

    /// <summary>A state file of many pages, written through to the main file (the WAL is checkpointed on close).</summary>
    private static void Fill(string path)
    {
        using var db = StateDatabase.Open(path);
        var store = new SqliteStateStore(db);
        store.SaveSeries(Enumerable.Range(0, 2000).Select(i => new MqttRules.State.SeriesSnapshot(
            "rule", $"series/{i}", MqttRules.State.Phase.Firing, null, null, null, null, "t", new byte[64], null, null)).ToArray());
    }
}
