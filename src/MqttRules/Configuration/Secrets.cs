namespace MqttRules.Configuration;

/// <summary>
/// The one reader for settings from the environment: secrets (from <c>NAME</c> or the file named by
/// <c>NAME_FILE</c>, as Docker secrets), plain text, booleans and durations. Every failure is a
/// <see cref="ConfigException"/> naming the variable, never its content.
/// </summary>
public sealed class Secrets(Func<string, string?> env)
{
    /// <summary>
    /// The value of <paramref name="name"/>, else the content of the file named by <c>{name}_FILE</c>
    /// without its trailing line break, else null (also for an empty value or file).
    /// </summary>
    public string? Get(string name)
    {
        if (env(name) is { Length: > 0 } value)
        {
            return value;
        }

        if (env(name + "_FILE") is not { Length: > 0 } file)
        {
            return null;
        }

        string content;
        try
        {
            content = File.ReadAllText(file).TrimEnd('\r', '\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw ConfigException.For(name + "_FILE", $"cannot read '{file}' ({Reason(ex)}); check the path and its permissions");
        }

        return content.Trim().Length == 0 ? null : content;
    }

    /// <summary>A plain setting (not secret), trimmed; null when unset or blank.</summary>
    public string? Text(string name) => env(name) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    /// <summary>A plain setting (not secret) from the environment, or the default.</summary>
    public string Setting(string name, string fallback) => Text(name) ?? fallback;

    /// <summary>A boolean (<see cref="ConfigValues.TryParseBool"/>), or <paramref name="fallback"/> when unset.</summary>
    public bool Bool(string name, bool fallback = false)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }

        return ConfigValues.TryParseBool(text, out var value)
            ? value
            : throw ConfigException.For(name, $"must be {ConfigValues.BoolHint}, not '{text}'");
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, or <paramref name="fallback"/> when unset.</summary>
    public int Whole(string name, int fallback, int min = 1, int max = int.MaxValue)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw ConfigException.For(name, $"must be a whole number from {min} to {max}, not '{text}'");
    }

    /// <summary>A duration such as 90s, 5m, 12h or 1d (at most <paramref name="max"/>), or <paramref name="fallback"/> when unset.</summary>
    public TimeSpan Duration(string name, TimeSpan fallback, TimeSpan? max = null)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }

        return Values.Durations.TryParse(text, out var value) && value >= TimeSpan.Zero && (max is null || value <= max)
            ? value
            : throw ConfigException.For(name, $"must be a duration such as 90s, 5m, 12h or 1d{(max is { } m ? $" (at most {Describe(m)})" : "")}, not '{text}'");
    }

    private static string Describe(TimeSpan d) =>
        d.TotalDays >= 365 ? $"{d.TotalDays / 365.25:0} years" : d.TotalDays >= 1 ? $"{d.TotalDays:0.#} days" : $"{d.TotalSeconds:0} seconds";

    private static string Reason(Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied, or it is a folder",
        _ => ex.Message,
    };
}
