using MqttRules.Values;

namespace MqttRules.Lifecycle;

public enum CommandKind { Enable, MuteRule, MuteNotifier, Ack }

/// <summary>
/// A run-time lifecycle command, the same over MQTT (<c>P/rules/&lt;rule&gt;/enabled/set</c>,
/// <c>P/rules/&lt;rule&gt;/mute/set</c>, <c>P/rules/&lt;rule&gt;/ack/set</c>,
/// <c>P/notifiers/&lt;name&gt;/mute/set</c>) and HTTP: the target's name and the payload as text.
/// </summary>
public sealed record LifecycleCommand(CommandKind Kind, string Name, string Payload)
{
    /// <summary>The filters to subscribe for the commands under <paramref name="prefix"/>.</summary>
    public static string[] Filters(string prefix) =>
        [$"{prefix}/rules/+/enabled/set", $"{prefix}/rules/+/mute/set", $"{prefix}/rules/+/ack/set", $"{prefix}/notifiers/+/mute/set"];

    /// <summary>The command a message on <paramref name="topic"/> carries, or null when the topic is no command topic.</summary>
    public static LifecycleCommand? FromTopic(string prefix, string topic, string payload)
    {
        if (!topic.StartsWith(prefix + "/", StringComparison.Ordinal))
        {
            return null;
        }

        var levels = topic[(prefix.Length + 1)..].Split('/');
        if (levels.Length != 4 || levels[3] != "set" || levels[1].Length == 0)
        {
            return null;
        }

        CommandKind? kind = (levels[0], levels[2]) switch
        {
            ("rules", "enabled") => CommandKind.Enable,
            ("rules", "mute") => CommandKind.MuteRule,
            ("rules", "ack") => CommandKind.Ack,
            ("notifiers", "mute") => CommandKind.MuteNotifier,
            _ => null,
        };
        return kind is { } k ? new LifecycleCommand(k, levels[1], payload) : null;
    }

    /// <summary><c>ON</c>/<c>OFF</c> (also true/false, 1/0, any case).</summary>
    public static bool TryOnOff(string payload, out bool on)
    {
        switch (payload.Trim().ToLowerInvariant())
        {
            case "on" or "true" or "1" or "enable" or "enabled":
                on = true;
                return true;
            case "off" or "false" or "0" or "disable" or "disabled":
                on = false;
                return true;
            default:
                on = false;
                return false;
        }
    }

    /// <summary>A mute's duration (<c>30m</c>, <c>2h</c>, a bare number of seconds); null for <c>off</c>, <c>0</c> or empty (unmute).</summary>
    public static bool TryMuteDuration(string payload, out TimeSpan? duration)
    {
        var text = payload.Trim();
        duration = null;
        if (text.Length == 0 || text.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!Durations.TryParse(text, out var d))
        {
            return false;
        }

        duration = d > TimeSpan.Zero ? d : null;
        return true;
    }

    public override string ToString() => Kind switch
    {
        CommandKind.Enable => $"rule {Name} enabled {Payload.Trim()}",
        CommandKind.MuteRule => $"mute rule {Name} '{Payload.Trim()}'",
        CommandKind.MuteNotifier => $"mute notifier {Name} '{Payload.Trim()}'",
        _ => $"acknowledge rule {Name}{(Payload.Trim().Length == 0 ? "" : $" series {Payload.Trim()}")}",
    };
}

/// <summary>What a command did (<see cref="Ok"/>) or why it was refused, with the HTTP status that says so.</summary>
public sealed record CommandResult(bool Ok, string Message, int Status = 200)
{
    public static CommandResult Done(string message) => new(true, message);

    public static CommandResult BadRequest(string message) => new(false, message, 400);

    public static CommandResult NotFound(string message) => new(false, message, 404);

    public static CommandResult Conflict(string message) => new(false, message, 409);
}
