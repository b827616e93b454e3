namespace MqttRules.Hosting.Status;

/// <summary>The status page: one HTML file with its CSS and script inline (no external assets), embedded in the assembly.</summary>
internal static class StatusPage
{
    public const string ResourceName = "MqttRules.Hosting.Status.status.html";

    public static string Html { get; } = Read();

    private static string Read()
    {
        using var stream = typeof(StatusPage).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
