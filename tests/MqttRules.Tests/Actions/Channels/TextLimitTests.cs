using MqttRules.Actions;

namespace MqttRules.Tests.Actions.Channels;

public class TextLimitTests
{
    [Fact]
    public void Mastodon_UrlCountsTwentyThreeWhateverItsLength()
    {
        var url = "https://example.com/" + new string('a', 200);

        Assert.Equal(TextLimit.MastodonUrlLength + 4, TextLimit.Length("see " + url, TextLimit.Measure.Mastodon));
    }

    [Fact]
    public void Mastodon_EmojiSequenceAndAccentedLetterCountOneEach()
    {
        Assert.Equal(2, TextLimit.Length("👨‍👩‍👧e\u0301", TextLimit.Measure.Mastodon));
    }

    [Fact]
    public void Shorten_Fits_Unchanged()
    {
        Assert.Equal("short", TextLimit.Shorten("short", 5, TextLimit.Measure.Utf16));
    }

    [Fact]
    public void Shorten_TooLong_CutBetweenCharactersWithEllipsis()
    {
        var text = string.Concat(Enumerable.Repeat("🚰é", 10));

        var cut = TextLimit.Shorten(text, 7, TextLimit.Measure.Mastodon);

        Assert.Equal("🚰é🚰é🚰é…", cut);
    }

    [Fact]
    public void Shorten_NeverCutsInsideAUrl()
    {
        var text = "alarm https://example.com/very/long/path/to/the/dashboard and more text";

        var cut = TextLimit.Shorten(text, 20, TextLimit.Measure.Mastodon);

        Assert.Equal("alarm…", cut);
    }

    [Fact]
    public void Shorten_Utf16_SurrogatePairNeverSplit()
    {
        var cut = TextLimit.Shorten("ab🚰cd", 4, TextLimit.Measure.Utf16);

        Assert.Equal("ab…", cut);
    }
}
