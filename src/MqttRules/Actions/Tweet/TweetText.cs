using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MqttRules.Actions.Tweet;

/// <summary>
/// X's weighted length (twitter-text v3): code points in the Latin and general-punctuation
/// ranges weigh 1, everything else (CJK, emoji, <c>…</c>) 2; an emoji sequence weighs 2 as a
/// whole; a URL weighs 23 whatever its length. Text is NFC-normalised first.
/// </summary>
public static partial class TweetText
{
    public const int MaxWeight = 280;
    public const int UrlWeight = 23;
    public const string Ellipsis = "…";
    private const int EllipsisWeight = 2;

    public static int WeightedLength(string text)
    {
        var total = 0;
        foreach (var piece in Pieces(text.Normalize(NormalizationForm.FormC)))
        {
            total += piece.Weight;
        }

        return total;
    }

    /// <summary>The text unchanged if it fits, else cut at a character boundary and ended with <c>…</c>, weighing at most 280.</summary>
    public static string Shorten(string text, int maxWeight = MaxWeight)
    {
        var normalized = text.Normalize(NormalizationForm.FormC);
        if (WeightedLength(normalized) <= maxWeight)
        {
            return normalized;
        }

        var sb = new StringBuilder();
        var total = 0;
        foreach (var piece in Pieces(normalized))
        {
            if (total + piece.Weight + EllipsisWeight > maxWeight)
            {
                break;
            }

            sb.Append(piece.Text);
            total += piece.Weight;
        }

        return sb.ToString().TrimEnd() + Ellipsis;
    }

    /// <summary>URLs (atomic) and grapheme clusters with their weights, in order.</summary>
    private static IEnumerable<(string Text, int Weight)> Pieces(string text)
    {
        var at = 0;
        foreach (Match url in UrlPattern().Matches(text))
        {
            foreach (var g in Graphemes(text[at..url.Index]))
            {
                yield return g;
            }

            yield return (url.Value, UrlWeight);
            at = url.Index + url.Length;
        }

        foreach (var g in Graphemes(text[at..]))
        {
            yield return g;
        }
    }

    private static IEnumerable<(string Text, int Weight)> Graphemes(string text)
    {
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            var g = e.GetTextElement();
            yield return (g, GraphemeWeight(g));
        }
    }

    private static int GraphemeWeight(string grapheme)
    {
        var sum = 0;
        foreach (var rune in grapheme.EnumerateRunes())
        {
            if (IsEmoji(rune.Value))
            {
                return 2;
            }

            sum += RuneWeight(rune.Value);
        }

        return sum;
    }

    private static bool IsEmoji(int cp) => cp >= 0x1F000 || cp == 0xFE0F || cp == 0x200D || cp is >= 0x2600 and <= 0x27BF;

    private static int RuneWeight(int cp) =>
        cp is (>= 0 and <= 4351) or (>= 8192 and <= 8205) or (>= 8208 and <= 8223) or (>= 8242 and <= 8247) ? 1 : 2;

    [GeneratedRegex(@"(?:https?://|www\.)[^\s]+?(?=[.,;:!?)\]]*(?:\s|$))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();
}
