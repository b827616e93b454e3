using MqttRules.Topics;

namespace MqttRules.Tests.Performance;

/// <summary>
/// Trie nodes keep their one exact child inline and make a dictionary only for the second
/// (a hot path optimisation). These pin that routing is unchanged as nodes grow.
/// </summary>
public class TopicIndexLayoutTests
{
    [Fact]
    public void Match_SecondChildAddedLater_BothStillRouted()
    {
        var index = new TopicIndex<string>();
        index.Add("home/m1/water", "a");
        Assert.Equal(["a"], Match(index, "home/m1/water"));

        index.Add("home/m2/water", "b");
        index.Add("home/m1/gas", "c");
        index.Add("home/m1/water", "d");

        Assert.Equal(["a", "d"], Match(index, "home/m1/water"));
        Assert.Equal(["b"], Match(index, "home/m2/water"));
        Assert.Equal(["c"], Match(index, "home/m1/gas"));
        Assert.Empty(Match(index, "home/m3/water"));
        Assert.Empty(Match(index, "home/m1"));
        Assert.Empty(Match(index, "home/m1/water/x"));
    }

    [Fact]
    public void Match_SingleChildNode_OnlyThatLevelMatches()
    {
        var index = new TopicIndex<string>();
        index.Add("a/b", "x");

        Assert.Equal(["x"], Match(index, "a/b"));
        Assert.Empty(Match(index, "a/c"));
        Assert.Empty(Match(index, "a/bb"));
        Assert.Empty(Match(index, "a/"));
        Assert.Empty(Match(index, "b/b"));
    }

    [Fact]
    public void Match_EmptyLevels_AreLevelsLikeAnyOther()
    {
        var index = new TopicIndex<string>();
        index.Add("a//b", "empty");
        index.Add("a/+/b", "plus");

        Assert.Equal(["empty", "plus"], Match(index, "a//b"));
        Assert.Equal(["plus"], Match(index, "a/x/b"));
    }

    [Fact]
    public void Match_TenThousandConcreteFilters_EachTopicReachesItsOwn()
    {
        var index = new TopicIndex<int>();
        for (var i = 0; i < 10_000; i++)
        {
            index.Add($"home/m{i}/water", i);
        }

        index.Add("home/+/water", -1);
        var results = new List<int>();
        for (var i = 0; i < 10_000; i += 997)
        {
            results.Clear();
            index.Match($"home/m{i}/water", results);
            Assert.Equal([i, -1], results);
        }

        Assert.Equal(10_001, index.Count);
    }

    private static List<string> Match(TopicIndex<string> index, string topic)
    {
        var results = new List<string>();
        index.Match(topic, results);
        return results;
    }
}
