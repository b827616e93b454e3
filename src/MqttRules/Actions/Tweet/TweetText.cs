using System.Globalization;
using System.Text;

namespace MqttRules.Actions.Tweet;

/// <summary>
/// X's weighted length (twitter-text 3, checked against its results): text is NFC-normalised;
/// each URL weighs 23 whatever its length (<see cref="TweetUrls"/>); an emoji sequence weighs 2 as a
/// whole; any other code point weighs 1 in the Latin and general-punctuation ranges, else 2.
/// Characters X refuses (U+FFFE, U+FEFF, U+FFFF, lone surrogates) are removed before sending.
/// </summary>
internal static class TweetText
{
    public const int MaxWeight = 280;
    public const int UrlWeight = 23;
    public const string Ellipsis = "…";
    private const int EllipsisWeight = 2;

    /// <summary>The weighted length of <paramref name="text"/> as twitter-text counts it (invalid characters included).</summary>
    public static int WeightedLength(string text)
    {
        var total = 0;
        foreach (var piece in Pieces(Normalize(text)))
        {
            total += piece.Weight;
        }

        return total;
    }

    /// <summary>True when X accepts the text as it is: not blank, no invalid character, weighing at most 280.</summary>
    public static bool IsValid(string text) =>
        !string.IsNullOrWhiteSpace(text) && Clean(text) == text && WeightedLength(text) <= MaxWeight;

    /// <summary>
    /// The text without the characters X rejects: U+FFFE, U+FEFF and U+FFFF (twitter-text's invalid
    /// characters) and lone surrogates (not encodable as UTF-8). Directional marks are valid and kept.
    /// </summary>
    public static string Clean(string text)
    {
        var bad = IndexOfInvalid(text, 0);
        if (bad < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        var from = 0;
        while (bad >= 0)
        {
            sb.Append(text, from, bad - from);
            from = bad + 1;
            bad = IndexOfInvalid(text, from);
        }

        return sb.Append(text, from, text.Length - from).ToString();
    }

    /// <summary>
    /// The text as it is sent: cleaned, NFC, unchanged if it fits, else cut between characters (never
    /// inside a URL or an emoji sequence) and ended with <c>…</c>, weighing at most 280.
    /// </summary>
    public static string Shorten(string text, int maxWeight = MaxWeight)
    {
        var normalized = Normalize(Clean(text));
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

            sb.Append(normalized, piece.Start, piece.Length);
            total += piece.Weight;
        }

        return sb.ToString().TrimEnd() + Ellipsis;
    }

    /// <summary>
    /// NFC, as twitter-text does. .NET refuses to normalise a string holding a non-character or a lone
    /// surrogate, so such characters are kept as they are and the text between them is normalised.
    /// </summary>
    internal static string Normalize(string text)
    {
        try
        {
            return text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            var sb = new StringBuilder(text.Length);
            var start = 0;
            for (var i = 0; i < text.Length; i++)
            {
                if (char.IsSurrogatePair(text, i))
                {
                    var cp = char.ConvertToUtf32(text, i);
                    if ((cp & 0xFFFE) == 0xFFFE)
                    {
                        sb.Append(text[start..i].Normalize(NormalizationForm.FormC)).Append(text, i, 2);
                        start = i + 2;
                    }

                    i++;
                }
                else if (char.IsSurrogate(text[i]) || text[i] is '\uFFFE' or '\uFFFF' or (>= '\uFDD0' and <= '\uFDEF'))
                {
                    sb.Append(text[start..i].Normalize(NormalizationForm.FormC)).Append(text[i]);
                    start = i + 1;
                }
            }

            return sb.Append(text[start..].Normalize(NormalizationForm.FormC)).ToString();
        }
    }

    private static int IndexOfInvalid(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\uFFFE' or '\uFEFF' or '\uFFFF')
            {
                return i;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The text in counting order, as twitter-text walks it: a URL, an emoji sequence, or one
    /// character (a grapheme cluster, so that a cut never separates a letter from its accents;
    /// it weighs the sum of its code points).
    /// </summary>
    private static IEnumerable<(int Start, int Length, int Weight)> Pieces(string text)
    {
        var urls = TweetUrls.Find(text);
        var next = 0;
        var at = 0;
        while (at < text.Length)
        {
            if (next < urls.Count && urls[next].Start == at)
            {
                yield return (at, urls[next].Length, UrlWeight);
                at += urls[next++].Length;
                continue;
            }

            var limit = next < urls.Count ? urls[next].Start : text.Length;
            var emoji = TweetEmoji.SequenceLength(text, at);
            if (emoji > 0)
            {
                yield return (at, emoji, 2);
                at += emoji;
                continue;
            }

            var length = Math.Min(StringInfo.GetNextTextElementLength(text, at), limit - at);
            var weight = 0;
            for (var i = at; i < at + length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
            {
                var cp = char.IsSurrogatePair(text, i) ? char.ConvertToUtf32(text, i) : text[i];
                if (i > at && TweetEmoji.SequenceLength(text, i) > 0)
                {
                    length = i - at;   // an emoji inside a cluster (after a combining mark) is a piece of its own
                    break;
                }

                weight += CodePointWeight(cp);
            }

            yield return (at, length, weight);
            at += length;
        }
    }

    private static int CodePointWeight(int cp) =>
        cp is (>= 0 and <= 4351) or (>= 8192 and <= 8205) or (>= 8208 and <= 8223) or (>= 8242 and <= 8247) ? 1 : 2;
}
