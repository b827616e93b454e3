namespace MqttRules.Actions.Tweet;

/// <summary>
/// Emoji sequences as twitter-text counts them (each weighs 2 as a whole, Unicode TR51): a pictograph
/// with its variation selector, skin tone, tags and ZWJ-joined followers; a keycap (<c>1⃣</c>); a flag
/// (two regional indicators); a text-default symbol (<c>©</c>, <c>®</c>, <c>™</c>) only with U+FE0F;
/// and a stray U+FE0F.
/// </summary>
internal static class TweetEmoji
{
    private const int Vs16 = 0xFE0F;
    private const int Vs15 = 0xFE0E;
    private const int Zwj = 0x200D;
    private const int Keycap = 0x20E3;

    /// <summary>The length in UTF-16 units of the emoji sequence starting at <paramref name="at"/>, or 0.</summary>
    public static int SequenceLength(string text, int at)
    {
        var cp = At(text, at);
        if (cp == Vs16)
        {
            return 1;
        }

        if (cp is '#' or '*' or (>= '0' and <= '9'))
        {
            var k = at + 1;
            k += At(text, k) == Vs16 ? 1 : 0;
            return At(text, k) == Keycap ? k + 1 - at : 0;
        }

        if (cp is 0xA9 or 0xAE or 0x2122 or 0x265F)
        {
            return At(text, at + 1) == Vs16 ? 2 : 0;
        }

        if (IsRegionalIndicator(cp))
        {
            return IsRegionalIndicator(At(text, at + 2)) ? 4 : 2;
        }

        if (!IsPictograph(cp))
        {
            return 0;
        }

        var end = Modifiers(text, at + Width(cp));
        while (At(text, end) == Zwj && IsPictograph(At(text, end + 1)))
        {
            end = Modifiers(text, end + 1 + Width(At(text, end + 1)));
        }

        return end - at;
    }

    /// <summary>Past the variation selector, skin tone, keycap and tag characters that follow a pictograph.</summary>
    private static int Modifiers(string text, int i)
    {
        while (At(text, i) is var m && (m is Vs16 or Vs15 or Keycap || m is >= 0x1F3FB and <= 0x1F3FF || m is >= 0xE0020 and <= 0xE007F))
        {
            i += Width(m);
        }

        return i;
    }

    private static bool IsRegionalIndicator(int cp) => cp is >= 0x1F1E6 and <= 0x1F1FF;

    private static bool IsPictograph(int cp) => cp switch
    {
        >= 0x1F000 and <= 0x1FAFF => cp is < 0x1F3FB or > 0x1F3FF,
        >= 0x2600 and <= 0x27BF => true,
        0x203C or 0x2049 or 0x2139 or 0x2328 or 0x23CF or 0x24C2 or 0x25B6 or 0x25C0 or 0x2B50 or 0x2B55 or 0x3030 or 0x303D or 0x3297 or 0x3299 => true,
        (>= 0x2194 and <= 0x2199) or 0x21A9 or 0x21AA or 0x231A or 0x231B or (>= 0x23E9 and <= 0x23F3) or (>= 0x23F8 and <= 0x23FA) => true,
        0x25AA or 0x25AB or (>= 0x25FB and <= 0x25FE) or 0x2934 or 0x2935 or (>= 0x2B05 and <= 0x2B07) or 0x2B1B or 0x2B1C => true,
        _ => false,
    };

    private static int At(string text, int i) =>
        i >= text.Length ? -1 : char.IsSurrogatePair(text, i) ? char.ConvertToUtf32(text, i) : text[i];

    private static int Width(int cp) => cp > 0xFFFF ? 2 : 1;
}
