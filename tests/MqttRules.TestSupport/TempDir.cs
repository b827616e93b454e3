namespace MqttRules.TestSupport;

/// <summary>A temporary folder deleted at the end of a test; readable by other users (a broker may read files in it).</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mqttrules-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, (UnixFileMode)0b111_101_101);
        }
    }

    public string Path { get; }

    public string FilePath(string relative) => System.IO.Path.Combine(Path, relative);

    public string Write(string relative, string text)
    {
        var full = FilePath(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(full, (UnixFileMode)0b110_100_100);
        }

        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
