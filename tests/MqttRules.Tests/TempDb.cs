using MqttRules.Storage;

namespace MqttRules.Tests;

/// <summary>A state database file in the temp folder, removed (with its WAL files) on dispose.</summary>
internal sealed class TempDb : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mqttrules-test-{Guid.NewGuid():N}.db");

    public StateDatabase Open() => StateDatabase.Open(Path);

    public void Dispose()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Path + suffix);
        }
    }
}

internal static class Wait
{
    /// <summary>Polls until the condition holds; fails the test after the bound.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan? bound = null, string? what = null)
    {
        var limit = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (limit.Elapsed > (bound ?? TimeSpan.FromSeconds(10)))
            {
                Assert.Fail($"timed out waiting for {what ?? "condition"}");
            }

            await Task.Delay(10);
        }
    }
}
