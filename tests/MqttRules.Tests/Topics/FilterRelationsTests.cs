using MqttRules.Topics;

namespace MqttRules.Tests.Topics;

/// <summary>Which filters receive what others receive: the basis of subscribing each message once.</summary>
public class FilterRelationsTests
{
    /// <summary>
    /// A topic name is a filter without wildcards, so "covers" and "overlaps" of a filter and a
    /// topic must both equal "matches". Vectors: mosquitto's test/lib/cpp/09-util-topic-matching.cpp
    /// (eclipse/mosquitto), and the examples of MQTT 5.0 §4.7.1 (sport/tennis/player1).
    /// </summary>
    [Theory]
    [InlineData("foo/bar", "foo/bar", true)]
    [InlineData("foo/+", "foo/bar", true)]
    [InlineData("foo/+/baz", "foo/bar/baz", true)]
    [InlineData("foo/+/#", "foo/bar/baz", true)]
    [InlineData("#", "foo/bar/baz", true)]
    [InlineData("foo/bar", "foo", false)]
    [InlineData("foo/+", "foo/bar/baz", false)]
    [InlineData("foo/+/baz", "foo/bar/bar", false)]
    [InlineData("foo/+/#", "fo2/bar/baz", false)]
    [InlineData("#", "/foo/bar", true)]
    [InlineData("/#", "/foo/bar", true)]
    [InlineData("/#", "foo/bar", false)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/ranking", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true)]
    [InlineData("sport/#", "sport", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1/ranking", false)]
    [InlineData("sport/+", "sport", false)]
    [InlineData("sport/+", "sport/", true)]
    [InlineData("+/+", "/finance", true)]
    [InlineData("/+", "/finance", true)]
    [InlineData("+", "/finance", false)]
    [InlineData("#", "$SYS/broker", false)]
    [InlineData("+/monitor/Clients", "$SYS/monitor/Clients", false)]
    [InlineData("$SYS/#", "$SYS/monitor/Clients", true)]
    [InlineData("$SYS/monitor/+", "$SYS/monitor/Clients", true)]
    public void FilterAndTopic_CoversAndOverlapsExactlyWhenItMatches(string filter, string topic, bool matches)
    {
        Assert.Equal(matches, FilterRelations.Covers(filter, topic));
        Assert.Equal(matches, FilterRelations.Overlaps(filter, topic));
        Assert.Equal(matches, FilterRelations.Overlaps(topic, filter));
    }

    [Theory]
    [InlineData("home/+/water", "home/main/water", true, false, true)]
    [InlineData("home/#", "home/+/water", true, false, true)]
    [InlineData("home/#", "home", true, false, true)]
    [InlineData("#", "+/+", true, false, true)]
    [InlineData("+/+", "+/#", false, true, true)]
    [InlineData("a/+/c", "a/b/#", false, false, true)]
    [InlineData("a/+", "+/b", false, false, true)]
    [InlineData("a/+", "b/+", false, false, false)]
    [InlineData("a/+/c", "a/+/d", false, false, false)]
    [InlineData("a/+", "a/+/c", false, false, false)]
    [InlineData("#", "$SYS/#", false, false, false)]
    [InlineData("+/x", "$SYS/x", false, false, false)]
    [InlineData("a/b", "a/b", true, true, true)]
    public void TwoFilters_CoverAndOverlapByMqttRules(string a, string b, bool aCoversB, bool bCoversA, bool overlap)
    {
        Assert.Equal(aCoversB, FilterRelations.Covers(a, b));
        Assert.Equal(bCoversA, FilterRelations.Covers(b, a));
        Assert.Equal(overlap, FilterRelations.Overlaps(a, b));
        Assert.Equal(overlap, FilterRelations.Overlaps(b, a));
    }

    [Theory]
    [InlineData("a/+/c", "a/b/#", "a/+/#")]
    [InlineData("a/+", "+/b", "+/+")]
    [InlineData("a/b", "a/b/c", "a/b/#")]
    [InlineData("home/kitchen/temp", "home/+/temp", "home/+/temp")]
    [InlineData("$SYS/a", "$SYS/+", "$SYS/+")]
    [InlineData("$SYS/a", "x/a", null)]
    public void Widen_IsTheNarrowestFilterCoveringBoth(string a, string b, string? expected)
    {
        var wide = FilterRelations.Widen(a, b);

        Assert.Equal(expected, wide);
        if (wide is not null)
        {
            Assert.True(FilterRelations.Covers(wide, a));
            Assert.True(FilterRelations.Covers(wide, b));
        }
    }
}
