namespace MqttRules.Configuration;

/// <summary>
/// Reads secrets from the environment or from the file named by <c>NAME_FILE</c> (Docker secrets).
/// Values never appear in logs or errors: a failure names the variable, not its content.
/// </summary>
public sealed class Secrets(Func<string, string?> env)
{
    /// <summary>The value of <paramref name="name"/>, else the trimmed content of <c>{name}_FILE</c>, else null.</summary>
    public string? Get(string name)
    {
        var value = env(name);
        if (!string.IsNullOrEmpty(value))
        {
            return value;
        }

        var file = env(name + "_FILE");
        if (string.IsNullOrEmpty(file))
        {
            return null;
        }

        try
        {
            var content = File.ReadAllText(file).Trim();
            return content.Length == 0 ? null : content;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{name}_FILE names a file that cannot be read ({ex.GetType().Name}); check the path and its permissions.");
        }
    }

    /// <summary>A plain setting (not secret) from the environment, or the default.</summary>
    public string Setting(string name, string fallback)
    {
        var value = env(name);
        return string.IsNullOrWhiteSpace(value) ? fallback : value.Trim();
    }
}
