namespace MqttRules.Configuration;

/// <summary>
/// The one reader for settings from the environment: secrets (from <c>NAME</c> or the file named by
/// <c>NAME_FILE</c>, as Docker secrets), plain text, booleans, whole numbers, durations and URLs.
/// Every failure is a <see cref="ConfigException"/> naming the variable and what it allows, never
/// its content. Ranges come from the options type that holds the setting (<see cref="WholeRange"/>).
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

    /// <summary>A whole number inside <paramref name="range"/> (the options type states it), or <paramref name="fallback"/> when unset.</summary>
    public int Whole(string name, int fallback, WholeRange range)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && range.Contains(n)
            ? n
            : throw ConfigException.For(name, $"{range.Describe()}, not '{text}'");
    }

    /// <summary>A duration such as 90s, 5m, 12h or 1d inside <paramref name="range"/> (default: any, from zero), or <paramref name="fallback"/> when unset.</summary>
    public TimeSpan Duration(string name, TimeSpan fallback, DurationRange? range = null)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }

        var allowed = range ?? DurationRange.UpTo(TimeSpan.MaxValue);
        var bounds = range is { } r ? $" (from {DurationRange.Text(r.Min)} to {DurationRange.Text(r.Max)})" : "";
        return Values.Durations.TryParse(text, out var value) && allowed.Contains(value)
            ? value
            : throw ConfigException.For(name, $"must be a duration such as 90s, 5m, 12h or 1d{bounds}, not '{text}'");
    }

    /// <summary>An absolute http(s) URL, or <paramref name="fallback"/> when unset.</summary>
    public Uri HttpUrl(string name, string fallback)
    {
        var text = Setting(name, fallback);
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw ConfigException.For(name, $"must be an absolute http(s) URL such as {fallback}");
    }

    /// <summary>The process environment: the one place the library reads it.</summary>
    public static Func<string, string?> Process { get; } = Environment.GetEnvironmentVariable;

    private static string Reason(Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied, or it is a folder",
        _ => ex.Message,
    };
}
