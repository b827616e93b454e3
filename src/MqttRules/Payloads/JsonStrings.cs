using System.Text;
using System.Text.Unicode;
using System.Text.Json;

namespace MqttRules.Payloads;

/// <summary>
/// Checks the JSON strings of a payload once, while it is validated: <see cref="Utf8JsonReader"/>
/// does not check that a string is valid UTF-8 (or that its <c>\u</c> escapes pair up) until it is
/// read, and a rule reading it later would then fail on every message instead of the payload
/// being counted as bad once.
/// </summary>
internal static class JsonStrings
{
    /// <summary>True when the string or property name under the reader decodes to valid text.</summary>
    public static bool IsValid(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            return Utf8.IsValid(reader.ValueSpan);
        }

        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
