namespace MqttRules.Configuration;

/// <summary>
/// A configuration value that cannot be used: the message names the variable (or flag) and what is
/// wrong, never the secret itself. The CLI prints it as one line and exits 1.
/// </summary>
public class ConfigException(string message) : Exception(message)
{
    /// <summary><c>NAME: problem</c>.</summary>
    public static ConfigException For(string variable, string problem) => new($"{variable}: {problem}");
}
