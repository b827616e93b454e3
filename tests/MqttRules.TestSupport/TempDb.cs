using MqttRules.Storage;

namespace MqttRules.TestSupport;

/// <summary>A state database file in the temp folder, removed (with its WAL files) on dispose.</summary>
internal sealed class TempDb : IDisposable
{
    public string Path { get; } = NewPath();

    /// <summary>A fresh state file name in the temp folder; nothing is created.</summary>
    public static string NewPath() => System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mqttrules-test-{Guid.NewGuid():N}.db");

    /// <summary>Removes a state file and its WAL files.</summary>
    public static void Delete(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
    }

    public StateDatabase Open() => StateDatabase.Open(Path);

    public void Dispose() => Delete(Path);
}
