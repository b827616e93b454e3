using System.Diagnostics;
using MqttRules.IntegrationTests.Infrastructure;
using MqttRules.State;
using MqttRules.Storage;

namespace MqttRules.IntegrationTests.Durability;

/// <summary>
/// Issue 10.2: <c>run</c> over a state file it cannot use exits 1 with one line saying what is wrong
/// and what to do, before connecting — no stack trace, and never a silent fresh start.
/// </summary>
public sealed class StartupTests
{
    private static async Task ExpectRefusedAsync(TempDir dir, string statePath, string what)
    {
        await using var p = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, MqttRulesCli.Url(Ports.Free()),
            new Dictionary<string, string?> { ["MQTTRULES_STATE"] = statePath });

        Assert.Equal(1, await p.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        var line = Assert.Single(p.Stderr, l => l.Contains("state file", StringComparison.Ordinal));
        Assert.StartsWith("mqttrules: ", line, StringComparison.Ordinal);
        Assert.Contains(what, line, StringComparison.Ordinal);
        Assert.DoesNotContain(p.Stderr, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_StatePathIsAFolder_ExitsOne() =>
        await WithDirAsync(dir => ExpectRefusedAsync(dir, dir.Path, "is a folder"));

    [Fact]
    public async Task Run_StateFolderMissing_ExitsOne() =>
        await WithDirAsync(dir => ExpectRefusedAsync(dir, Path.Combine(dir.Path, "missing", "state.db"), "does not exist"));

    [Fact]
    public async Task Run_EmptyStateFile_ExitsOneAndLeavesItAlone()
    {
        using var dir = new TempDir();
        var path = dir.Write("state.db", "");

        await ExpectRefusedAsync(dir, path, "is empty (0 bytes)");
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public async Task Run_StateFileIsNotSqlite_ExitsOne() =>
        await WithDirAsync(dir => ExpectRefusedAsync(dir, dir.Write("state.db", "not a database\n"), "is not an SQLite database"));

    [Fact]
    public async Task Run_StateFileTruncated_ExitsOne()
    {
        using var dir = new TempDir();
        var path = Filled(dir);
        using (var f = new FileStream(path, FileMode.Open))
        {
            f.SetLength(f.Length / 3);
        }

        await ExpectRefusedAsync(dir, path, "restore it from a backup");
    }

    [Fact]
    public async Task Run_StateFileWithADamagedPage_ExitsOne()
    {
        using var dir = new TempDir();
        var path = Filled(dir);
        var bytes = File.ReadAllBytes(path);
        Array.Fill(bytes, (byte)0x5A, bytes.Length / 2, 4096);
        File.WriteAllBytes(path, bytes);

        await ExpectRefusedAsync(dir, path, "restore it from a backup");
    }

    /// <summary>A read-only file system (root: a tmpfs remounted read-only; others: the permission bits, which bind them).</summary>
    [Fact]
    public async Task Run_StateFileReadOnly_ExitsOne()
    {
        using var dir = new TempDir();
        var folder = Directory.CreateDirectory(dir.FilePath("ro")).FullName;
        var root = Environment.UserName == "root";
        if (root)
        {
            Assert.Equal(0, await RunAsync("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", folder));
        }

        try
        {
            var path = Filled(dir, Path.Combine(folder, "state.db"));
            if (root)
            {
                Assert.Equal(0, await RunAsync("mount", "-o", "remount,ro", folder));
            }
            else
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead);
                File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            }

            await ExpectRefusedAsync(dir, path, "cannot be written");
        }
        finally
        {
            if (root)
            {
                await RunAsync("umount", folder);
            }
            else
            {
                File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    private static async Task WithDirAsync(Func<TempDir, Task> test)
    {
        using var dir = new TempDir();
        await test(dir);
    }

    /// <summary>A state file of many pages, as a run leaves it (the WAL folded in on close).</summary>
    private static string Filled(TempDir dir, string? path = null)
    {
        path ??= dir.FilePath("state.db");
        using var db = StateDatabase.Open(path);
        new SqliteStateStore(db).SaveSeries(Enumerable.Range(0, 2000)
            .Select(i => new SeriesSnapshot("rule", $"series/{i}", Phase.Firing, null, null, null, null, "t", new byte[64], null, null)).ToArray());
        return path;
    }

    private static async Task<int> RunAsync(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        await p.WaitForExitAsync();
        return p.ExitCode;
    }
}
