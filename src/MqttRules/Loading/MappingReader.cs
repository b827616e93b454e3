using System.Globalization;
using MqttRules.Values;

namespace MqttRules.Loading;

/// <summary>Reads a YAML mapping with a fixed set of keys: unknown and duplicate keys are problems.</summary>
internal sealed class MappingReader
{
    private readonly Dictionary<string, KeyValuePair<YScalar, YNode>> entries = new(StringComparer.Ordinal);
    private readonly FileContext file;

    public MappingReader(FileContext file, YMapping map, string what, IReadOnlyCollection<string> known)
    {
        this.file = file;
        Node = map;
        foreach (var entry in map.Entries)
        {
            var key = entry.Key.Value;
            if (!known.Contains(key))
            {
                var hint = Suggest(key, known);
                file.Problem(entry.Key, $"unknown key '{key}' in {what}{(hint is null ? "" : $"; did you mean '{hint}'?")} (known keys: {string.Join(", ", known)})");
            }
            else if (!entries.TryAdd(key, entry))
            {
                file.Problem(entry.Key, $"duplicate key '{key}' in {what}");
            }
        }
    }

    public YMapping Node { get; }

    public bool Has(string key) => entries.ContainsKey(key);

    public YNode? this[string key] => entries.TryGetValue(key, out var e) ? e.Value : null;

    public YScalar? Key(string key) => entries.TryGetValue(key, out var e) ? e.Key : null;

    /// <summary>A string value (env substituted), or null when the key is absent or not a scalar.</summary>
    public string? String(string key, bool required = false, string? what = null)
    {
        var node = this[key];
        if (node is null)
        {
            if (required)
            {
                file.Problem(Node, $"missing '{key}'{(what is null ? "" : $" in {what}")}");
            }

            return null;
        }

        if (node is not YScalar s)
        {
            file.Problem(node, $"'{key}' must be a single value, not a list or mapping");
            return null;
        }

        return file.Text(s);
    }

    public TimeSpan Duration(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return TimeSpan.Zero;
        }

        if (!Durations.TryParse(text, out var d, out var tooLong))
        {
            file.Problem(this[key]!, tooLong
                ? $"'{key}: {text}' is too long; the longest duration a rule may use is 520w (about 10 years)"
                : $"'{key}: {text}' is not a duration; write one such as 500ms, 30s, 5m, 1h30m, 2d or 1w (a bare number is seconds)");
        }

        return d;
    }

    public bool Bool(string key, bool fallback)
    {
        var text = String(key);
        switch (text?.ToLowerInvariant())
        {
            case null:
                return fallback;
            case "true" or "yes" or "on" or "1":
                return true;
            case "false" or "no" or "off" or "0":
                return false;
            default:
                file.Problem(this[key]!, $"'{key}' must be true or false, not '{text}'");
                return fallback;
        }
    }

    public double Number(string key, double fallback, double min = double.MinValue, double max = double.MaxValue)
    {
        var text = String(key);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n) || n < min || n > max)
        {
            var range = min == double.MinValue ? "" : max == double.MaxValue ? $" of at least {min}" : $" from {min} to {max}";
            file.Problem(this[key]!, $"'{key}' must be a number{range}, not '{text}'");
            return fallback;
        }

        return n;
    }

    /// <summary>The known key nearest to <paramref name="key"/>, when it is near enough to be a typo.</summary>
    internal static string? Suggest(string key, IReadOnlyCollection<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var k in known)
        {
            var d = Distance(key, k);
            if (d < bestDistance)
            {
                best = k;
                bestDistance = d;
            }
        }

        return bestDistance <= Math.Max(1, key.Length / 3) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (prev, cur) = (cur, prev);
        }

        return prev[b.Length];
    }
}
