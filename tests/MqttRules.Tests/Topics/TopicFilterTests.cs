using MqttRules.Topics;
using MqttRules.Values;

namespace MqttRules.Tests.Topics;

/// <summary>The topic filter grammar of rules: MQTT filters plus <c>{name}</c> captures (SPEC §3).</summary>
public class TopicFilterTests
{
    [Theory]
    [InlineData("home/main/water", "home/main/water", "home/main/water")]
    [InlineData("home/{meter}/water", "home/+/water", "home/+/water")]
    [InlineData("sensors/+/temp_f", "sensors/+/temp_f", "sensors/+/temp_f")]
    [InlineData("#", "#", "#")]
    [InlineData("a/#", "a/#", "a/#")]
    [InlineData("+", "+", "+")]
    [InlineData("a//c", "a//c", "a//c")]
    [InlineData("/leading", "/leading", "/leading")]
    [InlineData("$SYS/broker/uptime", "$SYS/broker/uptime", "$SYS/broker/uptime")]
    [InlineData("$share/engines/home/{meter}/water", "$share/engines/home/+/water", "home/+/water")]
    [InlineData("$share/g/#", "$share/g/#", "#")]
    public void TryParse_ValidFilter_SubscriptionAndMatch(string source, string subscription, string match)
    {
        var filter = TopicFilters.TryParse(source, out var error);
        Assert.Null(error);
        Assert.NotNull(filter);
        Assert.Equal(subscription, filter.Subscription);
        Assert.Equal(match, filter.Match);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/#/b")]
    [InlineData("a/b#")]
    [InlineData("a/+b")]
    [InlineData("a/{}/b")]
    [InlineData("a/{9x}/b")]
    [InlineData("a/{x-y}/b")]
    [InlineData("a/{x}/{x}")]
    [InlineData("a/pre{x}/b")]
    [InlineData("a/{x/b")]
    [InlineData("$share/g")]
    [InlineData("$share//a")]
    [InlineData("$share/+/a")]
    [InlineData("a/\0/b")]
    public void TryParse_InvalidFilter_Error(string source)
    {
        Assert.Null(TopicFilters.TryParse(source, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void TryParse_Captures_NamesAndZeroBasedLevels()
    {
        var filter = TopicFilters.TryParse("home/{room}/{sensor}/value", out _)!;
        Assert.Equal([new("room", 1), new("sensor", 2)], filter.Captures);
    }

    [Fact]
    public void TryParse_SharedCaptures_LevelsCountedWithoutTheSharePrefix()
    {
        var filter = TopicFilters.TryParse("$share/g/home/{room}", out _)!;
        Assert.Equal(new TopicCapture("room", 1), Assert.Single(filter.Captures));
    }

    [Theory]
    [InlineData("valves/main/set", null)]
    [InlineData("a//b", null)]
    [InlineData("$SYS/x", null)]
    [InlineData("", "empty")]
    [InlineData("a/+/b", "must not contain")]
    [InlineData("a/#", "must not contain")]
    [InlineData("a/\0", "must not contain")]
    public void CheckTopicName_PublishTopic_ProblemOrNull(string topic, string? fragment)
    {
        var problem = TopicFilters.CheckTopicName(topic);
        if (fragment is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains(fragment, problem);
        }
    }
}
