using System.Text;

namespace MqttRules.Presence;

/// <summary>
/// The engine's own topics under the prefix P (<c>MQTTRULES_TOPIC_PREFIX</c>). A rule id becomes one
/// topic level: '/', '+', '#' and NUL in it are written as '_' (see <see cref="Level"/>).
/// </summary>
public sealed class PresenceTopics(string prefix)
{
    public const string Online = Mqtt.ClientOptionsFactory.StatusOnline;
    public const string Offline = Mqtt.ClientOptionsFactory.StatusOffline;
    public const string On = "ON";
    public const string Off = "OFF";

    public string Prefix => prefix;

    /// <summary><c>P/status</c>: retained <c>online</c> / <c>offline</c> (the Last Will).</summary>
    public string Status => prefix + "/status";

    /// <summary><c>P/events/&lt;rule&gt;</c>: engine events as JSON.</summary>
    public string Events(string ruleId) => $"{prefix}/events/{Level(ruleId)}";

    /// <summary><c>P/rules/&lt;rule&gt;/firing</c>: retained ON while any series of the rule fires.</summary>
    public string Firing(string ruleId) => $"{Rule(ruleId)}/firing";

    /// <summary><c>P/rules/&lt;rule&gt;/enabled</c>: retained ON/OFF (published by the lifecycle feature).</summary>
    public string Enabled(string ruleId) => $"{Rule(ruleId)}/enabled";

    /// <summary><c>P/rules/&lt;rule&gt;/enabled/set</c>: the command topic of <see cref="Enabled"/>.</summary>
    public string EnabledSet(string ruleId) => Enabled(ruleId) + "/set";

    private string Rule(string ruleId) => $"{prefix}/rules/{Level(ruleId)}";

    /// <summary>A rule id as one topic level: characters that would split it or make it a filter are written as '_'.</summary>
    public static string Level(string ruleId)
    {
        if (ruleId.AsSpan().IndexOfAny("/+#\0") < 0)
        {
            return ruleId;
        }

        var b = new StringBuilder(ruleId);
        foreach (var c in "/+#\0")
        {
            b.Replace(c, '_');
        }

        return b.ToString();
    }
}
