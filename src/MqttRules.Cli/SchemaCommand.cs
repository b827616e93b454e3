using MqttRules.Loading;

namespace MqttRules.Cli;

/// <summary><c>mqttrules schema [--tests]</c>: prints the JSON Schema of rule files (or of rule test files), for editors.</summary>
internal static class SchemaCommand
{
    public static int Run(TextWriter stdout, bool tests = false)
    {
        stdout.Write(tests ? RuleSchema.TestsJson : RuleSchema.Json);
        return 0;
    }
}
