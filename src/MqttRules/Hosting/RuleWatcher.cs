namespace MqttRules.Hosting;

/// <summary>
/// <c>--watch</c>: a change to a file under the rules path (a file or a folder, recursively)
/// reloads the rules once the changes have settled for the debounce time, so an editor saving in
/// several steps, or a <c>git pull</c> touching many files, causes one reload.
/// </summary>
internal sealed class RuleWatcher : IDisposable
{
    private readonly FileSystemWatcher watcher;
    private readonly ITimer timer;
    private readonly TimeSpan debounce;

    public RuleWatcher(string path, TimeSpan debounce, TimeProvider clock, Func<Task> reload)
    {
        this.debounce = debounce;
        timer = clock.CreateTimer(_ => _ = reload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var full = Path.GetFullPath(path);
        watcher = Directory.Exists(full)
            ? new FileSystemWatcher(full) { IncludeSubdirectories = true }
            : new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full));
        watcher.NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size;
        watcher.Changed += OnChange;
        watcher.Created += OnChange;
        watcher.Deleted += OnChange;
        watcher.Renamed += OnChange;
        watcher.EnableRaisingEvents = true;
    }

    /// <summary>Each change (re)starts the wait: the reload runs once nothing has changed for the debounce time.</summary>
    internal void Changed() => timer.Change(debounce, Timeout.InfiniteTimeSpan);

    private void OnChange(object sender, FileSystemEventArgs e) => Changed();

    public void Dispose()
    {
        watcher.Dispose();
        timer.Dispose();
    }
}
