namespace MqttRules.Configuration;

/// <summary>The one set of rules for booleans in flags and environment variables (durations: <see cref="Values.Durations"/>).</summary>
public static class ConfigValues
{
    public const string BoolHint = "true/false, 1/0, yes/no or on/off";

    /// <summary>true/1/yes/on or false/0/no/off, any case, surrounding spaces ignored.</summary>
    public static bool TryParseBool(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "on":
                value = true;
                return true;
            case "false" or "0" or "no" or "off":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
