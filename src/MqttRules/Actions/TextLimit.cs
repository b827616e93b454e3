using System.Globalization;
using System.Text;

namespace MqttRules.Actions;

/// <summary>
/// Cuts a message to a chat service's length limit the way the tweet is cut: between characters
/// (grapheme clusters, so an accent or an emoji sequence stays whole), never inside a URL, ended
/// with <c>…</c>. Two ways of counting: <see cref="Measure.Mastodon"/> (as Mastodon's
/// StatusLengthValidator: grapheme clusters, each http(s) URL 23) and <see cref="Measure.Utf16"/>
/// (UTF-16 code units: never less than the characters Telegram or Discord count).
/// </summary>
internal static class TextLimit
{
    public const string Ellipsis = "…";
    public const int MastodonUrlLength = 23;

    public enum Measure { Mastodon, Utf16 }

    /// <summary>The length of <paramref name="text"/> as <paramref name="measure"/> counts it.</summary>
    public static int Length(string text, Measure measure)
    {
        var total = 0;
        foreach (var piece in Pieces(text, measure))
        {
            total += piece.Weight;
        }

        return total;
    }

    /// <summary>The text unchanged if it fits in <paramref name="max"/>, else cut to fit with <c>…</c> (which counts 1).</summary>
    public static string Shorten(string text, int max, Measure measure)
    {
        if (Length(text, measure) <= max)
        {
            return text;
        }

        var sb = new StringBuilder();
        var total = 0;
        foreach (var piece in Pieces(text, measure))
        {
            if (total + piece.Weight + 1 > max)
            {
                break;
            }

            sb.Append(text, piece.Start, piece.Length);
            total += piece.Weight;
        }

        return sb.ToString().TrimEnd() + Ellipsis;
    }

    private static IEnumerable<(int Start, int Length, int Weight)> Pieces(string text, Measure measure)
    {
        var urls = Tweet.TweetUrls.Find(text).Where(u => IsHttp(text, u.Start)).ToList();
        var next = 0;
        var at = 0;
        while (at < text.Length)
        {
            if (next < urls.Count && urls[next].Start == at)
            {
                var url = urls[next++];
                yield return (at, url.Length, measure == Measure.Mastodon ? MastodonUrlLength : url.Length);
                at += url.Length;
                continue;
            }

            var limit = next < urls.Count ? urls[next].Start : text.Length;
            var length = Math.Max(1, Math.Min(StringInfo.GetNextTextElementLength(text, at), limit - at));
            yield return (at, length, measure == Measure.Mastodon ? 1 : length);
            at += length;
        }
    }

    private static bool IsHttp(string text, int start) =>
        string.CompareOrdinal(text, start, "http://", 0, 7) == 0 || string.CompareOrdinal(text, start, "https://", 0, 8) == 0;
}
