using System.Globalization;
using MqttRules.Actions.Tweet;

namespace MqttRules.Tests.Actions.Tweet;

public class TweetTextTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("hello", 5)]
    [InlineData("Water at main: 12.5 L/min", 25)]
    [InlineData("水道", 4)]                                   // CJK weighs 2
    [InlineData("日本語のテキスト", 16)]
    [InlineData("…", 2)]                                     // U+2026 is outside the weight-1 ranges
    [InlineData("–—‘’“”", 6)]                               // 8208..8223 weigh 1
    [InlineData("😀", 2)]                                    // one emoji, a surrogate pair
    [InlineData("👍🏽", 2)]                                   // emoji + skin tone modifier
    [InlineData("👨‍👩‍👧‍👦", 2)]                                   // ZWJ family sequence
    [InlineData("🇬🇧", 2)]                                    // flag
    [InlineData("❤️", 2)]                                     // with variation selector
    [InlineData("see https://example.com/a/very/long/path/that/goes/on?and=on&on=1", 27)]  // URL = 23
    [InlineData("https://a.io", 23)]
    [InlineData("go to www.example.org.", 6 + 23 + 1)]      // trailing dot not part of the URL
    [InlineData("e\u0301", 1)]                               // NFC: é
    public void WeightedLength_Table_MatchesXRules(string text, int expected) =>
        Assert.Equal(expected, TweetText.WeightedLength(text));

    [Theory]
    [InlineData("see example.com now", 4 + 23 + 4)]                        // no protocol, known TLD: a URL
    [InlineData("sensor.local is down", 20)]                               // unknown TLD: its characters
    [InlineData("valve.closed", 12)]
    [InlineData("version 1.2.3", 13)]
    [InlineData("http://-bad-.com/x", 18)]                                  // invalid label
    public void WeightedLength_TextThatLooksLikeAUrl_WeighsItsCharacters(string text, int expected) =>
        Assert.Equal(expected, TweetText.WeightedLength(text));

    [Fact]
    public void WeightedLength_LabelLongerThan63_NotAUrl()
    {
        var text = "http://" + new string('a', 64) + ".com/x";

        Assert.Equal(text.Length, TweetText.WeightedLength(text));
        Assert.Equal(23, TweetText.WeightedLength("http://" + new string('a', 63) + ".com/x"));
    }

    [Fact]
    public void WeightedLength_HostLongerThan253_NotAUrl()
    {
        // Java twitter-text's IDN.toASCII refuses such a host (its JavaScript port does not check the length).
        var text = "https://" + string.Join('.', Enumerable.Repeat(new string('x', 60), 5)) + ".com/";

        Assert.Equal(text.Length, TweetText.WeightedLength(text));
    }

    [Fact]
    public void WeightedLength_NonCharacterBesideDecomposedAccent_StillNormalised() =>
        Assert.Equal(3, TweetText.WeightedLength("e\u0301\uFFFE"));   // é (1) + U+FFFE (2)

    [Fact]
    public void Shorten_LongLookalikeUrl_CutLikeText()
    {
        var text = "Leak at https://" + string.Join('.', Enumerable.Repeat(new string('x', 70), 5)) + ".com/";

        var shortened = TweetText.Shorten(text);

        Assert.EndsWith("…", shortened);
        Assert.Equal(280, TweetText.WeightedLength(shortened));
    }

    [Fact]
    public void Shorten_InvalidCharacters_RemovedBeforeCounting()
    {
        var shortened = TweetText.Shorten("Leak\uFFFE at main\uFEFF: 12 L/min\uFFFF \u202Aok\u202C");

        Assert.Equal("Leak at main: 12 L/min \u202Aok\u202C", shortened);   // directional marks are valid
        Assert.True(TweetText.IsValid(shortened));
        Assert.False(TweetText.IsValid("Leak\uFFFE"));
    }

    [Fact]
    public void Shorten_LoneSurrogate_Removed() =>
        Assert.Equal("ab", TweetText.Shorten("a\ud83db"));

    [Fact]
    public void ReplayJson_LongTweetWithInvalidCharacter_PrintedAsSent()
    {
        var text = "\uFFFE" + new string('a', 300);

        var json = System.Text.Json.JsonDocument.Parse(MqttRules.Replay.ActionJson.ToJson(TestActions.Tweet(text)));

        Assert.Equal(TweetText.Shorten(text), json.RootElement.GetProperty("text").GetString());
        Assert.Equal(new string('a', 278) + "…", json.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public void Shorten_FitsAlready_Unchanged()
    {
        var text = new string('a', 280);

        Assert.Equal(text, TweetText.Shorten(text));
    }

    [Theory]
    [InlineData("a", 281, 278)]        // 278 + … (2) = 280
    [InlineData("水", 141, 139)]        // 139*2 + 2 = 280
    [InlineData("😀", 150, 139)]
    public void Shorten_TooLong_CutsWithEllipsisWithin280(string unit, int count, int keptUnits)
    {
        var text = string.Concat(Enumerable.Repeat(unit, count));

        var shortened = TweetText.Shorten(text);

        Assert.EndsWith("…", shortened);
        Assert.True(TweetText.WeightedLength(shortened) <= 280);
        Assert.Equal(string.Concat(Enumerable.Repeat(unit, keptUnits)) + "…", shortened);
    }

    [Fact]
    public void Shorten_EmojiAtBoundary_NeverSplitsSurrogatePair()
    {
        var text = new string('a', 277) + "😀😀😀";

        var shortened = TweetText.Shorten(text);

        Assert.Equal(new string('a', 277) + "…", shortened);
        Assert.DoesNotContain(shortened, c => char.IsSurrogate(c) && !IsPaired(shortened, c));
    }

    [Fact]
    public void Shorten_ZwjSequenceAtBoundary_KeepsWholeGraphemeOrNone()
    {
        var family = "👨‍👩‍👧‍👦";
        var text = new string('a', 276) + family + family;

        var shortened = TweetText.Shorten(text);

        Assert.True(TweetText.WeightedLength(shortened) <= 280);
        var elements = new StringInfo(shortened);
        var last = elements.SubstringByTextElements(elements.LengthInTextElements - 2, 1);
        Assert.True(last == family || last == "a");
    }

    [Fact]
    public void Shorten_UrlAtBoundary_KeptWholeOrDropped()
    {
        var text = new string('a', 260) + " https://example.com/alerts/water/main-meter/now " + new string('b', 50);

        var shortened = TweetText.Shorten(text);

        Assert.True(TweetText.WeightedLength(shortened) <= 280);
        Assert.DoesNotContain("https://exa", shortened);
        Assert.EndsWith("…", shortened);
    }

    [Fact]
    public void Shorten_UrlFitsAsWhole_KeptAndCountedAs23()
    {
        var url = "https://example.com/" + new string('x', 100);
        var text = url + " " + new string('c', 300);

        var shortened = TweetText.Shorten(text);

        Assert.StartsWith(url + " ", shortened);
        Assert.Equal(280, TweetText.WeightedLength(shortened));
    }

    [Fact]
    public void Shorten_TrailingSpaceBeforeCut_TrimmedBeforeEllipsis()
    {
        var text = new string('a', 277) + " " + new string('b', 10);

        Assert.Equal(new string('a', 277) + "…", TweetText.Shorten(text));
    }

    private static bool IsPaired(string s, char c)
    {
        var i = s.IndexOf(c, StringComparison.Ordinal);
        return char.IsHighSurrogate(c) ? i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) : i > 0 && char.IsHighSurrogate(s[i - 1]);
    }
}
