using System.Globalization;
using MqttRules.Actions;
using MqttRules.Expressions;
using MqttRules.Rules;

namespace MqttRules.Loading;

/// <summary>A notifier as read: its channels in order of preference and its policy (null: alerts go out at once).</summary>
internal sealed record NotifierDefinition(IReadOnlyList<ActionSpec> Channels, NotifierPolicy? Policy);

/// <summary>
/// Reads a notifier's body: one action (the short form), or the extended form
/// <c>{channels: [action…], group: {wait, interval, max_lines}, quiet_hours: {from, to, timezone, then}}</c>.
/// A grouped notifier's templates see only <c>message</c> (the digest) and <c>now</c>: they are rendered
/// once per digest, not per alert, so they are compiled in a scope of their own.
/// </summary>
internal sealed class NotifierReader(FileContext file, NotifierTable notifiers, string name)
{
    public static readonly string[] Keys = ["channels", "group", "quiet_hours"];
    public static readonly string[] GroupKeys = ["wait", "interval", "max_lines"];
    public static readonly string[] QuietKeys = ["from", "to", "timezone", "then"];
    public static readonly string[] QuietThen = ["deliver", "drop"];

    /// <summary>The grouped notifier's scope: no rule variables, only the digest as <c>message</c>.</summary>
    public static CompileScope DigestScope() => new()
    {
        HasMessage = false,
        HasNotifyMessage = true,
        NoMessage = "a grouped notifier renders one digest of many alerts, so its templates see only 'message' (the digest) and 'now'",
    };

    /// <summary>True for the extended form: a mapping with one of <see cref="Keys"/> (or a near miss of one).</summary>
    public static bool IsExtended(YNode body) =>
        body is YMapping m && m.Entries.Any(e => Keys.Contains(e.Key.Value)
            || (!ActionReader.Kinds.Contains(e.Key.Value) && MappingReader.Suggest(e.Key.Value, Keys) is not null));

    public NotifierDefinition? Read(YNode body, CompileScope ruleScope)
    {
        if (!IsExtended(body))
        {
            return new ActionReader(file, notifiers).Read(body, ruleScope, allowNotify: false) is { } one ? new NotifierDefinition([one], null) : null;
        }

        var m = new MappingReader(file, (YMapping)body, $"notifier '{name}'", Keys);
        var group = m["group"] is { } g ? Group(g) : null;
        var quiet = m["quiet_hours"] is { } q ? Quiet(q) : null;
        var channels = Channels(m, group is null ? ruleScope : DigestScope());
        if (channels is null)
        {
            return null;
        }

        return new NotifierDefinition(channels, group is null && quiet is null ? null : new NotifierPolicy(group, quiet));
    }

    private List<ActionSpec>? Channels(MappingReader m, CompileScope scope)
    {
        if (m["channels"] is null && m.Node.Entries.Any(e => MappingReader.Suggest(e.Key.Value, Keys) == "channels"))
        {
            return null;   // a misspelt 'channels:' is reported as such, once
        }

        if (m["channels"] is not YSequence seq || seq.Items.Count == 0)
        {
            file.Problem(m["channels"] ?? m.Node, $"notifier '{name}' needs 'channels:', a list of actions in order of preference, such as '- tweet: \"{{{{message}}}}\"'");
            return null;
        }

        var channels = new List<ActionSpec>();
        foreach (var item in seq.Items)
        {
            if (new ActionReader(file, notifiers).Read(item, scope, allowNotify: false) is { } action)
            {
                channels.Add(action);
            }
        }

        foreach (var local in channels.Where(c => c.Kind is ActionKind.Publish or ActionKind.Log).Take(channels.Count > 1 ? 1 : 0))
        {
            file.Problem(local.Location, $"a {RenderedAction.KindName(local.Kind)} cannot be one of several channels: only channels that leave through the outbox (tweet, webhook, email, …) can fail over to the next");
        }

        return channels.Count == seq.Items.Count ? channels : null;
    }

    private GroupSpec? Group(YNode node)
    {
        if (node is not YMapping map)
        {
            file.Problem(node, "'group' takes a mapping, such as { wait: 30s, interval: 5m, max_lines: 10 }");
            return null;
        }

        var m = new MappingReader(file, map, "'group'", GroupKeys);
        var wait = m.Has("wait") ? m.Duration("wait") : GroupSpec.DefaultWait;
        var interval = m.Has("interval") ? m.Duration("interval") : GroupSpec.DefaultInterval;
        var lines = m.Number("max_lines", GroupSpec.DefaultMaxLines, 1, 1000);
        if (lines != Math.Floor(lines))
        {
            file.Problem(m["max_lines"]!, "'max_lines' must be a whole number from 1 to 1000");
        }

        return new GroupSpec(wait, interval, (int)lines);
    }

    private QuietHoursSpec? Quiet(YNode node)
    {
        if (node is not YMapping map)
        {
            file.Problem(node, "'quiet_hours' takes a mapping, such as { from: \"22:00\", to: \"07:00\" }");
            return null;
        }

        var m = new MappingReader(file, map, "'quiet_hours'", QuietKeys);
        var from = Clock(m, "from");
        var to = Clock(m, "to");
        var then = (m.String("then") ?? "deliver").ToLowerInvariant();
        if (!QuietThen.Contains(then))
        {
            file.Problem(m["then"]!, $"'then' must be deliver (send what arrived in the window when it ends) or drop, not '{then}'");
        }

        if (from is { } f && to is { } t && f == t)
        {
            file.Problem(m["to"]!, "'from' and 'to' are the same time: the window would be empty");
        }

        return from is null || to is null ? null : new QuietHoursSpec(from.Value, to.Value, RuleReader.ReadZone(file, m), then == "drop");
    }

    private TimeOnly? Clock(MappingReader m, string key)
    {
        var text = m.String(key, required: true, what: "'quiet_hours'");
        if (text is null)
        {
            return null;
        }

        if (TimeOnly.TryParseExact(text, ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        file.Problem(m[key]!, $"'{key}: {text}' is not a time of day; write it as HH:MM, such as \"22:00\" (quote it in YAML)");
        return null;
    }
}
