namespace MqttRules.Loading;

/// <summary>
/// The JSON Schema (draft-07) of rule files, for editors: schema/mqttrules-rules.schema.json in
/// the repository, embedded here so <c>mqttrules schema</c> prints the one that matches the loader.
/// </summary>
public static class RuleSchema
{
    private const string ResourceName = "MqttRules.Loading.rules.schema.json";

    public static string Json { get; } = Read();

    private static string Read()
    {
        using var stream = typeof(RuleSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
