using Microsoft.Extensions.Time.Testing;
using MqttRules.Hosting;

namespace MqttRules.Tests.Hosting;

/// <summary><c>--watch</c>: a change under the rules path reloads once the changes have settled for the debounce time.</summary>
public class RuleWatcherTests
{
    private static readonly TimeSpan Debounce = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Watch_FileChanged_Reloads()
    {
        using var dir = new TempDir();
        var file = dir.Write("rules.yaml", "rules: []\n");
        var clock = new FakeTimeProvider();
        var reloads = 0;
        using var watcher = new RuleWatcher(dir.Path, Debounce, clock, () =>
        {
            Interlocked.Increment(ref reloads);
            return Task.CompletedTask;
        });

        await File.AppendAllTextAsync(file, "# changed\n");

        // The file system reports the change on its own thread: advance the fake clock in debounce-sized steps until it has.
        await Wait.UntilAsync(() =>
        {
            clock.Advance(Debounce);
            return Volatile.Read(ref reloads) > 0;
        }, what: "a reload after the change");
    }

    [Fact]
    public void Watch_NoChange_NeverReloads()
    {
        using var dir = new TempDir();
        dir.Write("rules.yaml", "rules: []\n");
        var clock = new FakeTimeProvider();
        var reloads = 0;
        using var watcher = new RuleWatcher(dir.Path, Debounce, clock, () =>
        {
            reloads++;
            return Task.CompletedTask;
        });

        clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(0, reloads);
    }

    [Fact]
    public void Watch_ChangesWithinTheDebounce_OneReloadAfterTheLast()
    {
        using var dir = new TempDir();
        dir.Write("rules.yaml", "rules: []\n");
        var clock = new FakeTimeProvider();
        var reloads = 0;
        using var watcher = new RuleWatcher(dir.Path, Debounce, clock, () =>
        {
            reloads++;
            return Task.CompletedTask;
        });

        watcher.Changed();
        clock.Advance(Debounce / 2);
        watcher.Changed();
        clock.Advance(Debounce / 2);
        Assert.Equal(0, reloads);

        clock.Advance(Debounce / 2);
        Assert.Equal(1, reloads);
        clock.Advance(10 * Debounce);
        Assert.Equal(1, reloads);
    }
}
