using MqttRules.Presence;

namespace MqttRules.Tests.Presence;

/// <summary>Issue 15.2: the engine's own topics under the prefix.</summary>
public sealed class PresenceTopicsTests
{
    [Fact]
    public void Topics_UnderThePrefix()
    {
        var t = new PresenceTopics("house/engine");

        Assert.Equal("house/engine/status", t.Status);
        Assert.Equal("house/engine/events/water-high", t.Events("water-high"));
        Assert.Equal("house/engine/rules/water-high/firing", t.Firing("water-high"));
        Assert.Equal("house/engine/rules/water-high/enabled", t.Enabled("water-high"));
        Assert.Equal("house/engine/rules/water-high/enabled/set", t.EnabledSet("water-high"));
    }

    [Theory]
    [InlineData("water-high", "water-high")]
    [InlineData("a/b", "a_b")]
    [InlineData("x+y#z", "x_y_z")]
    [InlineData("küche.temp", "küche.temp")]
    public void Level_RuleIdBecomesOneValidLevel(string id, string level)
    {
        Assert.Equal(level, PresenceTopics.Level(id));
        Assert.Null(MqttRules.Topics.TopicFilters.CheckTopicName(new PresenceTopics("p").Events(id)));
    }
}
