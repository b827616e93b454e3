using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MqttRules.Diagnostics;

namespace MqttRules.Presence;

/// <summary>
/// Home Assistant MQTT discovery (single-component payloads): per rule a <c>binary_sensor</c> (firing,
/// device class <c>problem</c>) and a <c>switch</c> (enabled), on
/// <c>&lt;discovery_prefix&gt;/&lt;component&gt;/&lt;node_id&gt;/&lt;object_id&gt;/config</c>, where the node id is the
/// engine's client id and the object id the rule id, both reduced to <c>[a-zA-Z0-9_-]</c>. Both
/// entities belong to one device per engine instance and are available while <c>P/status</c> is <c>online</c>.
/// </summary>
public sealed class HaDiscovery(string discoveryPrefix, PresenceTopics topics, string clientId)
{
    public const string BinarySensor = "binary_sensor";
    public const string Switch = "switch";

    private readonly string node = Id(clientId);

    /// <summary>The config topic of a rule's entity of <paramref name="component"/>.</summary>
    public string ConfigTopic(string component, string ruleId) => $"{discoveryPrefix}/{component}/{node}/{Id(ruleId)}/config";

    /// <summary>The retained config of both entities of a rule, by topic.</summary>
    public IEnumerable<KeyValuePair<string, byte[]>> Configs(string ruleId)
    {
        yield return new(ConfigTopic(BinarySensor, ruleId), Config(BinarySensor, ruleId));
        yield return new(ConfigTopic(Switch, ruleId), Config(Switch, ruleId));
    }

    /// <summary>The config topics of a rule (an empty retained payload on each removes the entities).</summary>
    public IEnumerable<string> ConfigTopics(string ruleId) => [ConfigTopic(BinarySensor, ruleId), ConfigTopic(Switch, ruleId)];

    public byte[] Config(string component, string ruleId)
    {
        var objectId = Id(ruleId);
        var buffer = new ArrayBufferWriter<byte>(768);
        using (var w = new Utf8JsonWriter(buffer, EngineEventJson.Options))
        {
            w.WriteStartObject();
            w.WriteString("name", component == BinarySensor ? ruleId : $"{ruleId} enabled");
            w.WriteString("unique_id", $"{node}_{objectId}_{(component == BinarySensor ? "firing" : "enabled")}");
            w.WriteString("default_entity_id", $"{component}.{EntityId($"{node}_{objectId}")}");
            if (component == BinarySensor)
            {
                w.WriteString("state_topic", topics.Firing(ruleId));
                w.WriteString("device_class", "problem");
            }
            else
            {
                w.WriteString("state_topic", topics.Enabled(ruleId));
                w.WriteString("command_topic", topics.EnabledSet(ruleId));
            }

            w.WriteString("payload_on", PresenceTopics.On);
            w.WriteString("payload_off", PresenceTopics.Off);
            w.WriteString("availability_topic", topics.Status);
            w.WriteString("payload_available", PresenceTopics.Online);
            w.WriteString("payload_not_available", PresenceTopics.Offline);
            WriteDevice(w);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void WriteDevice(Utf8JsonWriter w)
    {
        w.WriteStartObject("device");
        w.WriteStartArray("identifiers");
        w.WriteStringValue($"mqttrules_{node}");
        w.WriteEndArray();
        w.WriteString("name", $"MqttRules {clientId}");
        w.WriteString("manufacturer", "MqttRules");
        w.WriteString("model", "rule engine");
        w.WriteString("sw_version", BuildInfo.Version);
        w.WriteEndObject();
        w.WriteStartObject("origin");
        w.WriteString("name", "mqttrules");
        w.WriteString("sw_version", BuildInfo.Version);
        w.WriteEndObject();
    }

    /// <summary>
    /// A node or object id: characters outside <c>[a-zA-Z0-9_-]</c> become '_', and then a short hash
    /// of the original is added, so that two names that differ only there do not share an id.
    /// </summary>
    public static string Id(string name)
    {
        var clean = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            clean.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        }

        if (clean.Length > 0 && clean.ToString() == name)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0, 3);
        return $"{clean}_{hash}";
    }

    /// <summary>Home Assistant's entity ids are lower case letters, digits and '_'.</summary>
    private static string EntityId(string id) =>
        string.Create(id.Length, id, (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = char.IsAsciiLetterOrDigit(s[i]) ? char.ToLowerInvariant(s[i]) : '_';
            }
        });
}
