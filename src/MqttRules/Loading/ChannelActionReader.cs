using MqttRules.Actions.Mastodon;
using MqttRules.Actions.Ntfy;
using MqttRules.Expressions;
using MqttRules.Rules;

namespace MqttRules.Loading;

/// <summary>The chat channels: mastodon, ntfy, telegram, slack and discord (a text, or a mapping of their keys).</summary>
internal sealed partial class ActionReader
{
    public static readonly string[] MastodonKeys = ["status", "visibility", "spoiler_text"];
    public static readonly string[] NtfyKeys = ["topic", "message", "title", "priority", "tags", "click"];
    public static readonly string[] TelegramKeys = ["text", "chat_id"];
    public static readonly string[] SlackKeys = ["text", "url"];
    public static readonly string[] DiscordKeys = ["content", "username", "url"];

    private MastodonSpec? Mastodon(SourceLocation loc, YNode body, CompileScope scope)
    {
        var (status, m) = TextOrMapping(body, "mastodon", "status", MastodonKeys, scope);
        if (m is null)
        {
            return status is null ? null : new MastodonSpec(loc, status, null, null);
        }

        var visibility = m.String("visibility")?.ToLowerInvariant();
        if (visibility is not null && !MastodonAction.Visibilities.Contains(visibility))
        {
            file.Problem(m["visibility"]!, $"mastodon visibility must be one of {string.Join(", ", MastodonAction.Visibilities)}");
        }

        var spoiler = m.Has("spoiler_text") ? Compiling.Template(file, m["spoiler_text"], "spoiler_text", scope) : null;
        return new MastodonSpec(loc, status!, visibility, spoiler);
    }

    private NtfySpec? Ntfy(SourceLocation loc, YNode body, CompileScope scope)
    {
        var m = Mapping(body, "ntfy", NtfyKeys, "{ topic: house-alerts, message: \"Freezer at {{value}} C\", priority: high }");
        if (m is null)
        {
            return null;
        }

        if (!m.Has("topic"))
        {
            file.Problem(m.Node, "missing 'topic' in 'ntfy' action");
        }

        var topic = Compiling.Template(file, m["topic"], "topic", scope);
        if (m.Has("topic") && topic.IsConstant && NtfyAction.TopicProblem(topic.Source) is { } problem)
        {
            file.Problem(m["topic"]!, $"'{topic.Source}': {problem}");
        }

        var tags = new List<Template>();
        switch (m["tags"])
        {
            case YSequence seq:
                tags.AddRange(seq.Items.Select(i => Compiling.Template(file, i, "tags", scope)));
                break;
            case YScalar one when !one.IsNull:
                tags.Add(Compiling.Template(file, one, "tags", scope)); // split at its commas when rendered
                break;
            case { } bad and not YScalar:
                file.Problem(bad, "'tags' must be a list of tags or a comma-separated text");
                break;
        }

        return new NtfySpec(loc, topic, Compiling.Template(file, m["message"], "message", scope), Optional(m, "title", scope),
            Priority(m), tags, Optional(m, "click", scope));
    }

    private TelegramSpec? Telegram(SourceLocation loc, YNode body, CompileScope scope)
    {
        var (text, m) = TextOrMapping(body, "telegram", "text", TelegramKeys, scope);
        return text is null ? null : new TelegramSpec(loc, text, m is null ? null : Optional(m, "chat_id", scope));
    }

    private SlackSpec? Slack(SourceLocation loc, YNode body, CompileScope scope)
    {
        var (text, m) = TextOrMapping(body, "slack", "text", SlackKeys, scope);
        return text is null ? null : new SlackSpec(loc, text, m is null ? null : WebhookUrl(m, "slack", scope));
    }

    private DiscordSpec? Discord(SourceLocation loc, YNode body, CompileScope scope)
    {
        var (content, m) = TextOrMapping(body, "discord", "content", DiscordKeys, scope);
        return content is null ? null
            : new DiscordSpec(loc, content, m is null ? null : Optional(m, "username", scope), m is null ? null : WebhookUrl(m, "discord", scope));
    }

    /// <summary>A text (the main field), or a mapping whose <paramref name="main"/> key is that text; (null, null) when neither.</summary>
    private (Template? Main, MappingReader? Mapping) TextOrMapping(YNode body, string kind, string main, string[] keys, CompileScope scope)
    {
        if (body is YScalar)
        {
            return (Compiling.Template(file, body, kind, scope), null);
        }

        var m = Mapping(body, kind, keys, $"\"text\" or {{ {main}: text }}");
        if (m is null)
        {
            return (null, null);
        }

        if (!m.Has(main))
        {
            file.Problem(m.Node, $"missing '{main}' in '{kind}' action");
        }

        return (Compiling.Template(file, m[main], main, scope), m);
    }

    private Template? Optional(MappingReader m, string key, CompileScope scope) => m.Has(key) ? Compiling.Template(file, m[key], key, scope) : null;

    /// <summary>A chat webhook's url: checked when constant, but never quoted (it is a credential).</summary>
    private Template? WebhookUrl(MappingReader m, string kind, CompileScope scope)
    {
        var url = Optional(m, "url", scope);
        if (url is { IsConstant: true } && Actions.Delivery.JsonBody.HttpUrl(url.Source) is null)
        {
            file.Problem(m["url"]!, $"the {kind} 'url' is not an http:// or https:// URL (not shown: a webhook URL is a credential)");
        }

        return url;
    }

    /// <summary>ntfy's priority: 1 to 5, or min, low, default, high, max (urgent); null: the server's default.</summary>
    private int? Priority(MappingReader m)
    {
        var text = m.String("priority");
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 5)
        {
            return n;
        }

        if (NtfyAction.Priorities.TryGetValue(text, out var named))
        {
            return named;
        }

        file.Problem(m["priority"]!, $"ntfy priority must be 1 to 5 or one of {string.Join(", ", NtfyAction.Priorities.Keys)}, not '{text}'");
        return null;
    }
}
