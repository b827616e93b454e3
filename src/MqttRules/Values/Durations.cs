using System.Globalization;

namespace MqttRules.Values;

/// <summary>Durations as rules write them: <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>2d</c>, <c>1w</c>; a bare number is seconds.</summary>
internal static class Durations
{
    /// <summary>
    /// The longest duration a rule may write, 520w (about 10 years): times plus durations must stay
    /// within what the clock can hold, so longer ones are refused when rules are loaded.
    /// </summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(520 * 7);

    public static bool TryParse(string? text, out TimeSpan duration) => TryParse(text, out duration, out _);

    /// <summary>Parses a duration; <paramref name="tooLong"/> tells a well-formed one over <see cref="Max"/> from a malformed one.</summary>
    public static bool TryParse(string? text, out TimeSpan duration, out bool tooLong)
    {
        tooLong = false;
        if (!TryParseAny(text, out var ms))
        {
            duration = TimeSpan.Zero;
            return false;
        }

        tooLong = ms > Max.TotalMilliseconds;
        duration = tooLong ? TimeSpan.Zero : TimeSpan.FromMilliseconds(ms);
        return !tooLong;
    }

    private static bool TryParseAny(string? text, out double totalMs)
    {
        totalMs = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            totalMs = seconds * 1000;
            return seconds >= 0 && double.IsFinite(seconds);
        }

        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }

            var unitMs = UnitMilliseconds(s.AsSpan(unitStart, i - unitStart));
            if (unitMs is null)
            {
                return false;
            }

            totalMs += amount * unitMs.Value;
        }

        return double.IsFinite(totalMs);
    }

    private static double? UnitMilliseconds(ReadOnlySpan<char> unit) => unit switch
    {
        "ms" => 1,
        "s" => 1000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 604_800_000,
        _ => null,
    };

    /// <summary>The shortest way to write a duration, for messages and docs.</summary>
    public static string Format(TimeSpan d)
    {
        if (d.TotalMilliseconds % 1000 != 0)
        {
            return $"{d.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";
        }

        var parts = new List<string>();
        if (d.Days > 0)
        {
            parts.Add($"{d.Days}d");
        }

        if (d.Hours > 0)
        {
            parts.Add($"{d.Hours}h");
        }

        if (d.Minutes > 0)
        {
            parts.Add($"{d.Minutes}m");
        }

        if (d.Seconds > 0 || parts.Count == 0)
        {
            parts.Add($"{d.Seconds}s");
        }

        return string.Concat(parts);
    }
}
