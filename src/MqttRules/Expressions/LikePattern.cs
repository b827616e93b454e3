namespace MqttRules.Expressions;

/// <summary>
/// A compiled <c>like</c> pattern: <c>%</c> matches any run of characters, <c>_</c> exactly one,
/// everything else itself, ignoring case. Matching never backtracks: the pattern is split at
/// <c>%</c> into pieces, the first anchored at the start, the last at the end, and each one in
/// between taken at its leftmost place, which is correct for <c>%</c> and costs at most
/// text length × longest piece steps, whatever the input; more than <see cref="MaxSteps"/> is refused.
/// </summary>
internal sealed class LikePattern
{
    /// <summary>
    /// The most character comparisons one match may cost. A pattern taken from a payload (300,000
    /// characters of text, a 30,000-character piece) would otherwise hold the evaluation thread for seconds.
    /// </summary>
    public const long MaxSteps = 10_000_000;

    private readonly string[] pieces;
    private readonly int longestInner;

    private LikePattern(string pattern)
    {
        Text = pattern;
        pieces = pattern.Split('%');
        longestInner = pieces.Length > 2 ? pieces[1..^1].Max(p => p.Length) : 0;
    }

    public string Text { get; }

    /// <summary>
    /// Whether matching a text of <paramref name="textLength"/> characters stays within <see cref="MaxSteps"/>:
    /// the anchored first and last pieces cost their length, each piece between <c>%</c> at most
    /// its length per position it is tried at, and the positions tried never go back.
    /// </summary>
    public bool WithinBudget(int textLength) => (long)textLength * Math.Max(longestInner, 1) <= MaxSteps;

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
