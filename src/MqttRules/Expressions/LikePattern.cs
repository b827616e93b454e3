namespace MqttRules.Expressions;

/// <summary>
/// A compiled <c>like</c> pattern: <c>%</c> matches any run of characters, <c>_</c> exactly one,
/// everything else itself, ignoring case. Matching never backtracks: the pattern is split at
/// <c>%</c> into pieces, the first anchored at the start, the last at the end, and each one in
/// between taken at its leftmost place, which is correct for <c>%</c> and costs at most
/// text length × pattern length steps, whatever the input.
/// </summary>
internal sealed class LikePattern
{
    private readonly string[] pieces;

    private LikePattern(string pattern)
    {
        Text = pattern;
        pieces = pattern.Split('%');
    }

    public string Text { get; }

    public static LikePattern Compile(string pattern) => new(pattern);

    public bool IsMatch(ReadOnlySpan<char> text)
    {
        var first = pieces[0];
        if (pieces.Length == 1)
        {
            return text.Length == first.Length && PieceAt(text, 0, first);
        }

        var last = pieces[^1];
        if (text.Length < first.Length + last.Length || !PieceAt(text, 0, first) || !PieceAt(text, text.Length - last.Length, last))
        {
            return false;
        }

        var from = first.Length;
        var end = text.Length - last.Length;
        for (var i = 1; i < pieces.Length - 1; i++)
        {
            var at = Find(text[..end], from, pieces[i]);
            if (at < 0)
            {
                return false;
            }

            from = at + pieces[i].Length;
        }

        return true;
    }

    /// <summary>The leftmost place at or after <paramref name="from"/> where <paramref name="piece"/> matches, or -1.</summary>
    private static int Find(ReadOnlySpan<char> text, int from, string piece)
    {
        for (var at = from; at + piece.Length <= text.Length; at++)
        {
            if (PieceAt(text, at, piece))
            {
                return at;
            }
        }

        return -1;
    }

    private static bool PieceAt(ReadOnlySpan<char> text, int at, string piece)
    {
        for (var i = 0; i < piece.Length; i++)
        {
            var p = piece[i];
            if (p != '_' && p != text[at + i] && char.ToLowerInvariant(p) != char.ToLowerInvariant(text[at + i]))
            {
                return false;
            }
        }

        return true;
    }
}
