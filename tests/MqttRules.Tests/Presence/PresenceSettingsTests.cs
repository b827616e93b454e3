using MqttRules.Configuration;
using MqttRules.Presence;

namespace MqttRules.Tests.Presence;

/// <summary>Issue 15.2: events and discovery settings come from the environment, off by default, validated.</summary>
public sealed class PresenceSettingsTests
{
    private static PresenceSettings Read(params (string Name, string Value)[] vars)
    {
        var map = vars.ToDictionary(v => v.Name, v => v.Value);
        return PresenceSettings.FromEnvironment(n => map.GetValueOrDefault(n));
    }

    [Fact]
    public void Defaults_EverythingOff_PrefixHomeassistant()
    {
        var s = Read();

        Assert.Equal((false, false, false, "homeassistant"), (s.Events, s.HaDiscovery, s.Firing, s.HaDiscoveryPrefix));
    }

    [Fact]
    public void EventsOrDiscovery_PublishFiringStates()
    {
        Assert.True(Read(("MQTTRULES_EVENTS", "true")).Firing);
        Assert.True(Read(("MQTTRULES_HA_DISCOVERY", "1"), ("MQTTRULES_HA_DISCOVERY_PREFIX", "ha")).Firing);
        Assert.Equal("ha", Read(("MQTTRULES_HA_DISCOVERY_PREFIX", " ha ")).HaDiscoveryPrefix);
    }

    [Theory]
    [InlineData("MQTTRULES_EVENTS", "maybe", "MQTTRULES_EVENTS: must be")]
    [InlineData("MQTTRULES_HA_DISCOVERY", "2", "MQTTRULES_HA_DISCOVERY: must be")]
    [InlineData("MQTTRULES_HA_DISCOVERY_PREFIX", "ha/+", "MQTTRULES_HA_DISCOVERY_PREFIX: 'ha/+' is not a valid topic name")]
    [InlineData("MQTTRULES_HA_DISCOVERY_PREFIX", "ha/", "MQTTRULES_HA_DISCOVERY_PREFIX: must not start with '$' nor end with '/'")]
    [InlineData("MQTTRULES_HA_DISCOVERY_PREFIX", "$ha", "MQTTRULES_HA_DISCOVERY_PREFIX: must not start with '$' nor end with '/'")]
    public void BadValue_ErrorNamesTheVariable(string name, string value, string message)
    {
        var ex = Assert.Throws<ConfigException>(() => Read((name, value)));

        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }
}
