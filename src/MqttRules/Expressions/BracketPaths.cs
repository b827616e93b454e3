using System.Text;

namespace MqttRules.Expressions;

/// <summary>
/// NCalc ends a <c>[name]</c> identifier at its first <c>]</c>, so <c>[Power[0]]</c> would not
/// parse. Before parsing, a bracketed identifier that holds brackets of its own is rewritten to
/// NCalc's other identifier form, <c>{Power[0]}</c>; the text keeps its length, so error
/// positions still point into what the user wrote.
/// </summary>
internal static class BracketPaths
{
    public static string Normalize(string source)
    {
        if (source.IndexOf('[', StringComparison.Ordinal) < 0)
        {
            return source;
        }

        StringBuilder? sb = null;
        for (var i = 0; i < source.Length; i++)
        {
            var ch = source[i];
            if (ch is '\'' or '"')
            {
                i = SkipString(source, i);
            }
            else if (ch == '[' && Close(source, i, out var nested) is var close and > 0)
            {
                if (nested && source.IndexOf('}', i, close - i) < 0)
                {
                    sb ??= new StringBuilder(source);
                    sb[i] = '{';
                    sb[close] = '}';
                }

                i = close;
            }
        }

        return sb?.ToString() ?? source;
    }

    /// <summary>The index of the <c>]</c> that balances the <c>[</c> at <paramref name="open"/>, or -1.</summary>
    private static int Close(string s, int open, out bool nested)
    {
        nested = false;
        var depth = 0;
        for (var i = open; i < s.Length; i++)
        {
            switch (s[i])
            {
                case '"':
                    i = SkipString(s, i);
                    break;
                case '[':
                    nested |= depth > 0;
                    depth++;
                    break;
                case ']':
                    if (--depth == 0)
                    {
                        return i;
                    }

                    break;
            }
        }

        return -1;
    }

    /// <summary>The index of the quote that closes the string starting at <paramref name="start"/> (or the end).</summary>
    private static int SkipString(string s, int start)
    {
        var quote = s[start];
        for (var i = start + 1; i < s.Length; i++)
        {
            if (s[i] == '\\')
            {
                i++;
            }
            else if (s[i] == quote)
            {
                return i;
            }
        }

        return s.Length - 1;
    }
}
