using System.Text.Json;
using MqttRules.Actions.Tweet;

namespace MqttRules.Tests.Actions.Tweet;

/// <summary>
/// Tweets counted as X's own library counts them. TestData/twitter-text-vectors.jsonl holds texts
/// written for this project (URLs with and without protocol, lookalike URLs, invalid labels and hosts,
/// t.co slugs, emoji sequences, keycaps, invalid and directional characters, CJK); each line's
/// <c>weightedLength</c>, <c>valid</c> and <c>urls</c> are what <c>parseTweet</c> and <c>extractUrls</c>
/// of twitter-text 3.1.0 (the npm package, Apache-2.0) return for that text.
/// </summary>
public class TwitterTextVectorTests
{
    public static TheoryData<int> Lines()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Vectors.Value.Length; i++)
        {
            data.Add(i + 1);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void WeightedLengthValidityAndUrls_AsTwitterText(int line)
    {
        var v = Vectors.Value[line - 1];
        var text = v.GetProperty("text").GetString()!;
        var nfc = TweetText.Normalize(text);

        var urls = TweetUrls.Find(nfc).Select(u => nfc.Substring(u.Start, u.Length));

        Assert.Equal(v.GetProperty("weightedLength").GetInt32(), TweetText.WeightedLength(text));
        Assert.Equal(v.GetProperty("valid").GetBoolean(), TweetText.IsValid(text));
        Assert.Equal(v.GetProperty("urls").EnumerateArray().Select(u => u.GetString()), urls);
    }

    private static readonly Lazy<JsonElement[]> Vectors = new(() =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Actions", "Tweet", "TestData", "twitter-text-vectors.jsonl"))
            .Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToArray());
}
