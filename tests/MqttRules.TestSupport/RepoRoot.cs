namespace MqttRules.TestSupport;

/// <summary>The repository root: the nearest folder above the test binaries that holds MqttRules.sln.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "MqttRules.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no MqttRules.sln above {AppContext.BaseDirectory}");
    }
}
