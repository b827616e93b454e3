using System.Reflection;

namespace MqttRules.Diagnostics;

/// <summary>The version of this build, the same in <c>--version</c>, the start-up line and <c>mqttrules_build_info</c>.</summary>
public static class BuildInfo
{
    /// <summary>The informational version (<c>1.0.0+commit</c>), else the assembly version.</summary>
    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(BuildInfo).Assembly.GetName().Version?.ToString() ?? "unknown";
}
