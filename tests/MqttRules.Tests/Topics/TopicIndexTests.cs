using MqttRules.Topics;

namespace MqttRules.Tests.Topics;

/// <summary>Routing a topic to every filter that matches it, as an MQTT broker would.</summary>
public class TopicIndexTests
{
    [Theory]
    [InlineData("a/b/c", "a/b/c", true)]
    [InlineData("a/b/c", "a/b/d", false)]
    [InlineData("a/b/c", "a/b", false)]
    [InlineData("a/b", "a/b/c", false)]
    [InlineData("a/+/c", "a/b/c", true)]
    [InlineData("a/+/c", "a//c", true)]
    [InlineData("a/+/c", "a/b/d/c", false)]
    [InlineData("a//c", "a//c", true)]
    [InlineData("a//c", "a/b/c", false)]
    [InlineData("+", "a", true)]
    [InlineData("+", "a/b", false)]
    [InlineData("+", "/a", false)]
    [InlineData("+/+", "/a", true)]
    [InlineData("/+", "/a", true)]
    [InlineData("+", "", true)]
    [InlineData("a/+", "a/", true)]
    [InlineData("a/+", "a", false)]
    [InlineData("#", "a/b/c", true)]
    [InlineData("#", "/", true)]
    [InlineData("a/#", "a", true)]
    [InlineData("a/#", "a/b/c", true)]
    [InlineData("a/#", "ab", false)]
    [InlineData("a/b/#", "a/b", true)]
    [InlineData("a/+/#", "a/b", true)]
    [InlineData("a/+/#", "a", false)]
    [InlineData("+/b/#", "x/b/y/z", true)]
    [InlineData("A/b", "a/b", false)]
    [InlineData("#", "$SYS/broker", false)]
    [InlineData("+/broker", "$SYS/broker", false)]
    [InlineData("$SYS/#", "$SYS/broker", true)]
    [InlineData("$SYS/+", "$SYS/broker", true)]
    [InlineData("a/#", "a/$x", true)]
    [InlineData("+/+", "a/$x", true)]
    public void Match_FilterAndTopic_MatchesAsMqtt(string filter, string topic, bool expected)
    {
        var index = new TopicIndex<string>();
        index.Add(filter, filter);
        var results = new List<string>();
        index.Match(topic, results);
        Assert.Equal(expected, results.Count == 1);
    }

    [Fact]
    public void Match_ManyFilters_ReturnsEveryMatchOnce()
    {
        var index = new TopicIndex<string>();
        foreach (var f in new[] { "home/main/water", "home/+/water", "home/#", "#", "home/+/gas", "+/main/+" })
        {
            index.Add(f, f);
        }

        var results = new List<string>();
        index.Match("home/main/water", results);

        string[] expected = ["#", "+/main/+", "home/#", "home/+/water", "home/main/water"];
        Assert.Equal(expected, results.Order(StringComparer.Ordinal));
        Assert.Equal(6, index.Count);
    }

    [Fact]
    public void Match_SameFilterTwice_BothItemsReturned()
    {
        var index = new TopicIndex<int>();
        index.Add("a/+", 1);
        index.Add("a/+", 2);
        var results = new List<int>();
        index.Match("a/x", results);
        Assert.Equal([1, 2], results);
    }

    [Fact]
    public void Match_NoFilters_NoResults()
    {
        var results = new List<int>();
        new TopicIndex<int>().Match("a/b", results);
        Assert.Empty(results);
    }
}
