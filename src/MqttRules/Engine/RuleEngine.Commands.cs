using MqttRules.Lifecycle;

namespace MqttRules.Engine;

/// <summary>Lifecycle commands that arrive as MQTT messages.</summary>
internal sealed partial class RuleEngine
{
    /// <summary>
    /// Runs the command a message on a command topic carries; true when the message was for the
    /// commands only (it arrived through no other subscription), so no rule is to see it.
    /// </summary>
    private bool Command(string topic, ReadOnlyMemory<byte> payload, IReadOnlyList<string>? via)
    {
        // Hot path: most messages are not under the prefix; nothing is allocated for them.
        var prefix = options.CommandPrefix!;
        if (topic.Length <= prefix.Length || topic[prefix.Length] != '/' || !topic.StartsWith(prefix, StringComparison.Ordinal)
            || (via is not null && !ViaCommandFilter(via)))
        {
            return false;
        }

        if (LifecycleCommand.FromTopic(prefix, topic, System.Text.Encoding.UTF8.GetString(payload.Span)) is not { } command)
        {
            return false;
        }

        AdvanceTo(options.Clock.GetUtcNow());
        Execute(command);
        return via is not null && via.All(v => commandFilters.Contains(v, StringComparer.Ordinal));
    }

    private bool ViaCommandFilter(IReadOnlyList<string> via)
    {
        foreach (var filter in commandFilters)
        {
            if (Contains(via, filter))
            {
                return true;
            }
        }

        return false;
    }
}
