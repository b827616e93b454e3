namespace MqttRules.Loading;

/// <summary>
/// The JSON Schema (draft-07) of rule files, for editors: schema/mqttrules-rules.schema.json in
/// the repository, embedded here so <c>mqttrules schema</c> prints the one that matches the loader.
/// </summary>
public static class RuleSchema
{
    public static string Json { get; } = Read("MqttRules.Loading.rules.schema.json");

    /// <summary>The schema of rule test files (<c>*.test.yaml</c>): schema/mqttrules-tests.schema.json.</summary>
    public static string TestsJson { get; } = Read("MqttRules.Loading.tests.schema.json");

    private static string Read(string resourceName)
    {
        using var stream = typeof(RuleSchema).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"embedded resource {resourceName} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
