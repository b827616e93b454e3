using MqttRules.Loading;

namespace MqttRules.Cli;

/// <summary><c>mqttrules schema</c>: prints the JSON Schema of rule files, for editors.</summary>
public static class SchemaCommand
{
    public static int Run(TextWriter stdout)
    {
        stdout.Write(RuleSchema.Json);
        return 0;
    }
}
