using MqttRules.Expressions;
using MqttRules.Rules;
using MqttRules.Topics;

namespace MqttRules.Loading;

/// <summary>Reads action items: a mapping with exactly one action kind.</summary>
internal sealed partial class ActionReader(FileContext file, NotifierTable notifiers)
{
    public static readonly string[] Kinds = ["publish", "tweet", "webhook", "email", "notify", "log", "mastodon", "ntfy", "telegram", "slack", "discord"];
    public static readonly string[] PublishKeys = ["topic", "payload", "qos", "retain"];
    public static readonly string[] TweetKeys = ["text"];
    public static readonly string[] WebhookKeys = ["url", "method", "headers", "body"];
    public static readonly string[] EmailKeys = ["to", "subject", "body"];
    public static readonly string[] NotifyKeys = ["to", "message"];
    public static readonly string[] LogKeys = ["message", "level"];
    public static readonly string[] Levels = ["debug", "info", "warning", "error"];
    public static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    public List<ActionSpec> ReadList(YNode? node, string key, CompileScope scope)
    {
        var list = new List<ActionSpec>();
        if (node is null || (node is YScalar n && n.IsNull))
        {
            return list;
        }

        if (node is not YSequence seq)
        {
            file.Problem(node, $"'{key}' must be a list of actions, such as '- log: \"hello\"'");
            return list;
        }

        foreach (var item in seq.Items)
        {
            if (Read(item, scope, allowNotify: true) is { } action)
            {
                list.Add(action);
            }
        }

        return list;
    }

    public ActionSpec? Read(YNode item, CompileScope scope, bool allowNotify)
    {
        if (item is not YMapping map)
        {
            file.Problem(item, $"an action is a mapping with one of: {string.Join(", ", Kinds)}");
            return null;
        }

        var present = map.Entries.Where(e => Kinds.Contains(e.Key.Value)).ToList();
        foreach (var e in map.Entries.Where(e => !Kinds.Contains(e.Key.Value)))
        {
            file.Problem(e.Key, $"unknown action '{e.Key.Value}'; an action is one of: {string.Join(", ", Kinds)}");
        }

        if (present.Count == 0)
        {
            if (map.Entries.Count == 0)
            {
                file.Problem(map, $"empty action; write one of: {string.Join(", ", Kinds)}");
            }

            return null;
        }

        if (present.Count > 1)
        {
            file.Problem(present[1].Key, $"one action per list item: '{present[0].Key.Value}' and '{present[1].Key.Value}' are in the same item; start the second with '- '");
            return null;
        }

        var (kindKey, body) = present[0];
        var loc = file.Loc(kindKey);
        return kindKey.Value switch
        {
            "publish" => Publish(loc, body, scope),
            "tweet" => new TweetSpec(loc, TextOrKey(body, "tweet", "text", TweetKeys, scope)),
            "webhook" => Webhook(loc, body, scope),
            "email" => Email(loc, body, scope),
            "notify" when allowNotify => Notify(loc, body, scope),
            "notify" => Fail(kindKey, "a notifier cannot notify another notifier"),
            "mastodon" => Mastodon(loc, body, scope),
            "ntfy" => Ntfy(loc, body, scope),
            "telegram" => Telegram(loc, body, scope),
            "slack" => Slack(loc, body, scope),
            "discord" => Discord(loc, body, scope),
            _ => Log(loc, body, scope),
        };
    }

    private ActionSpec? Fail(YNode node, string message)
    {
        file.Problem(node, message);
        return null;
    }

    private MappingReader? Mapping(YNode body, string kind, string[] keys, string example)
    {
        if (body is YMapping m)
        {
            return new MappingReader(file, m, $"'{kind}' action", keys);
        }

        file.Problem(body, $"'{kind}' takes a mapping, such as {example}");
        return null;
    }

    private PublishSpec? Publish(SourceLocation loc, YNode body, CompileScope scope)
    {
        var m = Mapping(body, "publish", PublishKeys, "{ topic: switches/x/set, payload: ON }");
        if (m is null)
        {
            return null;
        }

        var topic = Compiling.Template(file, m["topic"], "topic", scope);
        if (!m.Has("topic"))
        {
            file.Problem(m.Node, "missing 'topic' in 'publish' action");
        }
        else if (topic.IsConstant && TopicFilters.CheckTopicName(topic.Source) is { } problem)
        {
            file.Problem(m["topic"]!, $"publish topic: {problem}");
        }

        var payload = m["payload"] is { } p ? Compiling.Content(file, p, "payload", scope) : new TextContent(Template.Constant(""));
        var qosNumber = m.Number("qos", 0, 0, 2);
        if (qosNumber != Math.Floor(qosNumber))
        {
            file.Problem(m["qos"]!, "'qos' must be 0, 1 or 2");
        }

        var qos = (int)qosNumber;

        return new PublishSpec(loc, topic, payload, qos, m.Bool("retain", false));
    }

    private WebhookSpec? Webhook(SourceLocation loc, YNode body, CompileScope scope)
    {
        var m = Mapping(body, "webhook", WebhookKeys, "{ url: https://example.com/hook, body: { text: hi } }");
        if (m is null)
        {
            return null;
        }

        if (!m.Has("url"))
        {
            file.Problem(m.Node, "missing 'url' in 'webhook' action");
        }

        var url = Compiling.Template(file, m["url"], "url", scope);
        if (url.IsConstant && m.Has("url") && (!Uri.TryCreate(url.Source, UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https")))
        {
            file.Problem(m["url"]!, $"'{url.Source}' is not an http:// or https:// URL");
        }

        var method = (m.String("method") ?? "POST").ToUpperInvariant();
        if (!Methods.Contains(method))
        {
            file.Problem(m["method"]!, $"method must be one of {string.Join(", ", Methods)}");
        }

        var headers = new List<KeyValuePair<string, Template>>();
        if (m["headers"] is YMapping h)
        {
            foreach (var (k, v) in h.Entries)
            {
                if (headers.Exists(e => string.Equals(e.Key, file.Text(k), StringComparison.OrdinalIgnoreCase)))
                {
                    file.Problem(k, $"duplicate header '{k.Value}' (header names are case-insensitive)");
                    continue;
                }

                headers.Add(new(file.Text(k), Compiling.Template(file, v, $"header {k.Value}", scope)));
            }
        }
        else if (m["headers"] is { } bad)
        {
            file.Problem(bad, "'headers' must be a mapping of header names to values");
        }

        var content = m["body"] is { } b ? Compiling.Content(file, b, "body", scope) : null;
        return new WebhookSpec(loc, url, method, headers, content);
    }

    private EmailSpec? Email(SourceLocation loc, YNode body, CompileScope scope)
    {
        var m = Mapping(body, "email", EmailKeys, "{ to: ops@example.com, subject: Alarm, body: \"{{value}}\" }");
        if (m is null)
        {
            return null;
        }

        var to = new List<Template>();
        var isList = false;
        switch (m["to"])
        {
            case null:
                file.Problem(m.Node, "missing 'to' in 'email' action");
                break;
            case YSequence seq:
                isList = true;
                to.AddRange(seq.Items.Select(i => Compiling.Template(file, i, "to", scope)));
                if (to.Count == 0)
                {
                    file.Problem(seq, "'to' needs at least one address");
                }

                break;
            case var one:
                to.Add(Compiling.Template(file, one, "to", scope));
                break;
        }

        return new EmailSpec(loc, to, isList, Compiling.Template(file, m["subject"], "subject", scope, "MqttRules alert"), Compiling.Template(file, m["body"], "body", scope));
    }

    private LogSpec? Log(SourceLocation loc, YNode body, CompileScope scope)
    {
        if (body is YScalar)
        {
            return new LogSpec(loc, Compiling.Template(file, body, "log", scope), "info");
        }

        var m = Mapping(body, "log", LogKeys, "\"text\" or { message: text, level: warning }");
        if (m is null)
        {
            return null;
        }

        var level = (m.String("level") ?? "info").ToLowerInvariant();
        if (!Levels.Contains(level))
        {
            file.Problem(m["level"]!, $"log level must be one of {string.Join(", ", Levels)}");
            level = "info";
        }

        return new LogSpec(loc, Compiling.Template(file, m["message"], "message", scope), level);
    }

    private NotifySpec? Notify(SourceLocation loc, YNode body, CompileScope scope)
    {
        var m = Mapping(body, "notify", NotifyKeys, "{ to: ops, message: \"Freezer at {{value}} C\" }");
        if (m is null)
        {
            return null;
        }

        var name = m.String("to", required: true, what: "'notify' action");
        var message = Compiling.Template(file, m["message"], "message", scope);
        if (name is null)
        {
            return null;
        }

        var notifier = notifiers.Compile(name, scope, m["to"]!, file);
        return notifier is null ? null : new NotifySpec(loc, name, message, notifier.Channels[0])
        {
            Fallbacks = [.. notifier.Channels.Skip(1)],
            Policy = notifier.Policy,
        };
    }

    private Template TextOrKey(YNode body, string kind, string key, string[] keys, CompileScope scope)
    {
        if (body is YScalar)
        {
            return Compiling.Template(file, body, kind, scope);
        }

        var m = Mapping(body, kind, keys, $"\"text\" or {{ {key}: text }}");
        return m is null ? Template.Constant("") : Compiling.Template(file, m[key], key, scope);
    }
}
