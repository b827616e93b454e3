using MqttRules.Actions.Email;
using MqttRules.Actions.Log;
using MqttRules.Actions.Publish;
using MqttRules.Actions.Tweet;
using MqttRules.Actions.Webhook;
using MqttRules.Expressions;
using MqttRules.Rules;

namespace MqttRules.Actions;

/// <summary>A templated action that could not be rendered (a bad topic, say); the rule's other actions go on.</summary>
internal class ActionRenderException(string message) : Exception(message);

/// <summary>
/// A payload or body that is one template hole and nothing else, whose hole could not be
/// evaluated: there is nothing to send, so the action is not run (the rule's others are).
/// </summary>
internal sealed class UnevaluatedContentException(string hole)
    : ActionRenderException($"'{{{{{hole}}}}}' could not be evaluated and is the whole content")
{
    public string Hole { get; } = hole;
}

/// <summary>
/// Turns an <see cref="ActionSpec"/> into the <see cref="RenderedAction"/> of its kind for one event:
/// the table from a rule's action to the folder (<c>Actions/&lt;Kind&gt;/</c>) that renders it.
/// </summary>
internal static class ActionRenderer
{
    /// <param name="index">The action's position in its rule's list when its id is to be the idempotency key; null: a unique id.</param>
    public static RenderedAction Render(ActionSpec spec, EvalContext ctx, string ruleId, RuleEvent ev, string? series, int? index = null)
    {
        var origin = new ActionOrigin(ctx.Now, ruleId, ev, series, index);
        return spec switch
        {
            PublishSpec p => PublishRendering.Render(p, ctx, origin),
            TweetSpec t => TweetAction.Render(t, ctx, origin),
            WebhookSpec w => WebhookRendering.Render(w, ctx, origin),
            EmailSpec e => EmailAction.Render(e, ctx, origin),
            LogSpec l => LogAction.Render(l, ctx, origin),
            MastodonSpec m => Mastodon.MastodonAction.Render(m, ctx, origin),
            NtfySpec n => Ntfy.NtfyAction.Render(n, ctx, origin),
            TelegramSpec t => Telegram.TelegramAction.Render(t, ctx, origin),
            SlackSpec s => Slack.SlackAction.Render(s, ctx, origin),
            DiscordSpec d => Discord.DiscordAction.Render(d, ctx, origin),
            NotifySpec n => RenderNotify(n, ctx, ruleId, ev, series, index),
            _ => throw new ActionRenderException($"unknown action kind {spec.Kind}"),
        };
    }

    /// <summary>Renders a text template, or a mapping/list as compact JSON.</summary>
    public static (string Text, bool IsJson) RenderContent(ContentSpec content, EvalContext ctx) => ContentRendering.Text(content, ctx);

    /// <summary>
    /// A notifier's first channel rendered with <c>message</c> set (<see cref="EvalContext.NotifyMessage"/>),
    /// carrying the others, rendered alike, as its <see cref="RenderedAction.Fallbacks"/>.
    /// </summary>
    /// <param name="index">As for <see cref="Render"/>: the first channel's id is then the alert's idempotency key, and the others' follow from it.</param>
    public static RenderedAction RenderChannels(string notifier, IEnumerable<ActionSpec> channels, string message, EvalContext ctx, string ruleId, RuleEvent ev, string? series, int? index = null)
    {
        var rendered = channels.Select(c => Render(c, ctx, ruleId, ev, series, index).ViaNotifier(notifier, message)).ToArray();
        return rendered.Length == 1 ? rendered[0] : rendered[0] with { Fallbacks = rendered[1..] };
    }

    /// <summary>A notify is its notifier's action rendered with <c>message</c> set; the message is kept with it (a log's is its own).</summary>
    private static RenderedAction RenderNotify(NotifySpec n, EvalContext ctx, string ruleId, RuleEvent ev, string? series, int? index)
    {
        var message = n.Message.Render(ctx, out _);
        var previous = ctx.NotifyMessage;
        ctx.NotifyMessage = message;
        try
        {
            return RenderChannels(n.Notifier, n.Channels, message, ctx, ruleId, ev, series, index);
        }
        finally
        {
            ctx.NotifyMessage = previous;
        }
    }
}
