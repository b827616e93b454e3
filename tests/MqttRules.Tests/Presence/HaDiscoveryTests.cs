using System.Text.Json;
using MqttRules.Presence;

namespace MqttRules.Tests.Presence;

/// <summary>
/// Issue 15.2: Home Assistant discovery configs, in the single-component form of Home Assistant's
/// MQTT discovery documentation (home-assistant.io/integrations/mqtt, "Discovery messages"):
/// topic <c>&lt;discovery_prefix&gt;/&lt;component&gt;/[&lt;node_id&gt;/]&lt;object_id&gt;/config</c>, ids of <c>[a-zA-Z0-9_-]</c>.
/// </summary>
public sealed class HaDiscoveryTests
{
    private static readonly HaDiscovery Discovery = new("homeassistant", new PresenceTopics("mqttrules"), "mqttrules-house");

    private static JsonElement Config(string component, string rule) =>
        JsonDocument.Parse(Discovery.Config(component, rule)).RootElement;

    [Fact]
    public void Topics_ComponentNodeObject()
    {
        Assert.Equal(
            ["homeassistant/binary_sensor/mqttrules-house/water-high/config", "homeassistant/switch/mqttrules-house/water-high/config"],
            Discovery.ConfigTopics("water-high"));
        Assert.Equal(Discovery.ConfigTopics("water-high"), Discovery.Configs("water-high").Select(c => c.Key));
    }

    [Fact]
    public void BinarySensor_FiringStateProblemAvailability()
    {
        var c = Config(HaDiscovery.BinarySensor, "water-high");

        Assert.Equal("mqttrules/rules/water-high/firing", c.GetProperty("state_topic").GetString());
        Assert.Equal("problem", c.GetProperty("device_class").GetString());
        Assert.Equal(("ON", "OFF"), (c.GetProperty("payload_on").GetString(), c.GetProperty("payload_off").GetString()));
        Assert.Equal("mqttrules/status", c.GetProperty("availability_topic").GetString());
        Assert.Equal(("online", "offline"), (c.GetProperty("payload_available").GetString(), c.GetProperty("payload_not_available").GetString()));
        Assert.Equal("mqttrules-house_water-high_firing", c.GetProperty("unique_id").GetString());
        Assert.Equal("binary_sensor.mqttrules_house_water_high", c.GetProperty("default_entity_id").GetString());
        Assert.False(c.TryGetProperty("command_topic", out _));
    }

    [Fact]
    public void Switch_EnabledCommandAndState()
    {
        var c = Config(HaDiscovery.Switch, "water-high");

        Assert.Equal("mqttrules/rules/water-high/enabled", c.GetProperty("state_topic").GetString());
        Assert.Equal("mqttrules/rules/water-high/enabled/set", c.GetProperty("command_topic").GetString());
        Assert.Equal(("ON", "OFF"), (c.GetProperty("payload_on").GetString(), c.GetProperty("payload_off").GetString()));
        Assert.Equal("mqttrules/status", c.GetProperty("availability_topic").GetString());
        Assert.Equal("mqttrules-house_water-high_enabled", c.GetProperty("unique_id").GetString());
        Assert.Equal("switch.mqttrules_house_water_high", c.GetProperty("default_entity_id").GetString());
    }

    [Fact]
    public void Device_SharedByEveryEntityOfTheInstance()
    {
        var a = Config(HaDiscovery.BinarySensor, "a").GetProperty("device").GetRawText();
        var b = Config(HaDiscovery.Switch, "b").GetProperty("device").GetRawText();
        var device = Config(HaDiscovery.Switch, "b").GetProperty("device");

        Assert.Equal(a, b);
        Assert.Equal("mqttrules_mqttrules-house", device.GetProperty("identifiers")[0].GetString());
        Assert.Equal("MqttRules mqttrules-house", device.GetProperty("name").GetString());
        Assert.Equal(MqttRules.Diagnostics.BuildInfo.Version, device.GetProperty("sw_version").GetString());
    }

    [Fact]
    public void TwoInstances_DifferentNodesDevicesAndIds()
    {
        var other = new HaDiscovery("homeassistant", new PresenceTopics("garage"), "mqttrules-garage");

        Assert.Empty(other.ConfigTopics("water-high").Intersect(Discovery.ConfigTopics("water-high")));
        var config = JsonDocument.Parse(other.Config(HaDiscovery.BinarySensor, "water-high")).RootElement;
        Assert.Equal("garage/rules/water-high/firing", config.GetProperty("state_topic").GetString());
        Assert.Equal("garage/status", config.GetProperty("availability_topic").GetString());
        Assert.NotEqual(Config(HaDiscovery.BinarySensor, "water-high").GetProperty("unique_id").GetString(), config.GetProperty("unique_id").GetString());
    }

    [Theory]
    [InlineData("water-high", "water-high")]
    [InlineData("Freezer_2", "Freezer_2")]
    [InlineData("küche.temp", "k_che_temp_")]
    [InlineData("a/b", "a_b_")]
    public void Id_OnlyAllowedCharacters_AHashWhenChanged(string name, string start)
    {
        var id = HaDiscovery.Id(name);

        Assert.StartsWith(start, id, StringComparison.Ordinal);
        Assert.Matches("^[a-zA-Z0-9_-]+$", id);
        Assert.Equal(name == start ? name.Length : start.Length + 6, id.Length);
    }

    [Fact]
    public void Id_NamesDifferingOnlyInReplacedCharacters_StayApart()
    {
        Assert.NotEqual(HaDiscovery.Id("a.b"), HaDiscovery.Id("a b"));
        Assert.NotEqual(HaDiscovery.Id("a.b"), HaDiscovery.Id("a_b"));
    }
}
