namespace MqttRules.Topics;

/// <summary>
/// How two MQTT topic filters relate, with MQTT's matching rules (<c>+</c> one level, <c>#</c> the
/// rest including the parent, a leading wildcard never matches a topic starting with <c>$</c>).
/// Filters are given without a <c>$share/&lt;group&gt;/</c> prefix.
/// </summary>
internal static class FilterRelations
{
    /// <summary>True when <paramref name="a"/> receives every message <paramref name="b"/> receives (a filter covers itself).</summary>
    public static bool Covers(string a, string b) => Covers(a.Split('/'), b.Split('/'));

    /// <summary>True when some topic matches both filters.</summary>
    public static bool Overlaps(string a, string b) => Overlaps(a.Split('/'), b.Split('/'));

    /// <summary>True when the filter has a <c>+</c> or <c>#</c> level.</summary>
    public static bool HasWildcard(string filter) => filter.AsSpan().IndexOfAny('+', '#') >= 0;

    /// <summary>
    /// The narrowest single filter that receives everything both filters receive (levels that
    /// differ become <c>+</c>, a length difference or a <c>#</c> becomes <c>#</c>), or null when
    /// none exists without losing <c>$</c> topics.
    /// </summary>
    public static string? Widen(string a, string b)
    {
        var x = a.Split('/');
        var y = b.Split('/');
        var levels = new List<string>();
        for (var i = 0; ; i++)
        {
            var xi = i < x.Length ? x[i] : null;
            var yi = i < y.Length ? y[i] : null;
            if (xi is null && yi is null)
            {
                break;
            }

            var same = xi == yi;
            if (!same && i == 0 && (IsDollar(xi) || IsDollar(yi)))
            {
                return null;
            }

            if (xi is null || yi is null || xi == "#" || yi == "#")
            {
                levels.Add("#");
                break;
            }

            levels.Add(same ? xi : "+");
        }

        return string.Join('/', levels);
    }

    private static bool Covers(string[] a, string[] b)
    {
        for (var i = 0; ; i++)
        {
            if (i == a.Length)
            {
                return i == b.Length;
            }

            if (a[i] == "#")
            {
                return !(i == 0 && IsDollar(b[0]));
            }

            if (i == b.Length || b[i] == "#")
            {
                return false;
            }

            if (a[i] == "+")
            {
                if (i == 0 && IsDollar(b[0]))
                {
                    return false;
                }

                continue;
            }

            if (b[i] == "+" || a[i] != b[i])
            {
                return false;
            }
        }
    }

    private static bool Overlaps(string[] a, string[] b)
    {
        for (var i = 0; ; i++)
        {
            var ai = i < a.Length ? a[i] : null;
            var bi = i < b.Length ? b[i] : null;
            if (ai is null && bi is null)
            {
                return true;
            }

            if (ai == "#" || bi == "#")
            {
                return i != 0 || !(IsDollar(ai) || IsDollar(bi));
            }

            if (ai is null || bi is null)
            {
                return false;
            }

            if (ai == "+" || bi == "+")
            {
                if (i == 0 && (IsDollar(ai) || IsDollar(bi)))
                {
                    return false;
                }

                continue;
            }

            if (ai != bi)
            {
                return false;
            }
        }
    }

    private static bool IsDollar(string? level) => level is { Length: > 0 } && level[0] == '$';
}
