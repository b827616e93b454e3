using System.Globalization;

namespace MqttRules.Engine;

/// <summary><c>MQTTRULES_MAX_SERIES</c>: how many series one rule keeps (default 10,000).</summary>
public static class SeriesLimitSetting
{
    public const int Default = 10_000;
    public const string Variable = "MQTTRULES_MAX_SERIES";

    /// <summary>The limit from the environment; a value that is not a whole number of at least 1 is a <see cref="FormatException"/>.</summary>
    public static int FromEnvironment(Func<string, string?> env)
    {
        var text = env(Variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }

        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max >= 1
            ? max
            : throw new FormatException($"{Variable} must be a whole number of at least 1, not '{text}'");
    }
}
