using System.Collections.Concurrent;

namespace MqttRules.Payloads;

/// <summary>
/// JSON paths, split once at load: dotted names (<c>flow.lpm</c>), array items as
/// <c>Power.0</c> or <c>Power[0]</c>, and a quoted name for a key that contains a dot or a
/// bracket (<c>attributes."temp.c"</c>).
/// </summary>
internal static class JsonPath
{
    private static readonly ConcurrentDictionary<string, string[]> Splits = new(StringComparer.Ordinal);

    /// <summary>
    /// The segments of <paramref name="path"/> (an invalid path, which validation reports, is
    /// split at every dot). One array per distinct
    /// path, shared by every rule that reads it (10,000 rules reading <c>lpm</c> touch one hot
    /// array, not 10,000 cold ones), so callers must not modify it.
    /// </summary>
    public static string[] Split(string path) => Splits.GetOrAdd(path, static p =>
        TryParse(p, out var segments, out _, out _) ? segments : p.Split('.'));

    public static bool IsValid(string path) => TryParse(path, out _, out _, out _);

    /// <summary>Reads a path; on failure <paramref name="error"/> says what is wrong at <paramref name="offset"/>.</summary>
    public static bool TryParse(string path, out string[] segments, out string? error, out int offset)
    {
        var list = new List<string>();
        var i = 0;
        segments = [];
        while (true)
        {
            if (!TryName(path, ref i, list, out error))
            {
                offset = Math.Min(i, Math.Max(0, path.Length - 1));
                return false;
            }

            while (i < path.Length && path[i] == '[')
            {
                if (!TryIndex(path, ref i, list, out error))
                {
                    offset = Math.Min(i, Math.Max(0, path.Length - 1));
                    return false;
                }
            }

            if (i == path.Length)
            {
                segments = [.. list];
                offset = 0;
                return true;
            }

            if (path[i] != '.')
            {
                error = $"unexpected '{path[i]}' in path '{path}': separate names with '.', write array items as [0], quote a name with dots as \"a.b\"";
                offset = i;
                return false;
            }

            i++;
        }
    }

    private static bool TryName(string path, ref int i, List<string> list, out string? error)
    {
        error = null;
        if (i < path.Length && path[i] == '"')
        {
            var close = path.IndexOf('"', i + 1);
            if (close < 0)
            {
                error = $"the quoted name in path '{path}' is not closed by '\"'";
                return false;
            }

            list.Add(path[(i + 1)..close]);
            i = close + 1;
            return true;
        }

        var start = i;
        while (i < path.Length && path[i] is not ('.' or '[' or ']' or '"'))
        {
            i++;
        }

        if (i == start)
        {
            error = path.Length == 0 ? "the path is empty" : $"an empty name in path '{path}'";
            return false;
        }

        list.Add(path[start..i]);
        return true;
    }

    private static bool TryIndex(string path, ref int i, List<string> list, out string? error)
    {
        error = null;
        var close = path.IndexOf(']', i + 1);
        var digits = close < 0 ? "" : path[(i + 1)..close];
        if (digits.Length == 0 || digits.Length > 9 || !digits.All(char.IsAsciiDigit))
        {
            error = $"'[' in path '{path}' must hold an array index such as [0]";
            return false;
        }

        list.Add(digits);
        i = close + 1;
        return true;
    }
}
