using System.Buffers;
using System.Text;
using System.Text.Json;
using MqttRules.Expressions;
using MqttRules.Rules;

namespace MqttRules.Actions;

/// <summary>A templated action that could not be rendered (a bad topic, say); the rule's other actions go on.</summary>
public class ActionRenderException(string message) : Exception(message);

/// <summary>
/// A payload or body that is one template hole and nothing else, whose hole could not be
/// evaluated: there is nothing to send, so the action is not run (the rule's others are).
/// </summary>
public sealed class UnevaluatedContentException(string hole)
    : ActionRenderException($"'{{{{{hole}}}}}' could not be evaluated and is the whole content")
{
    public string Hole { get; } = hole;
}

/// <summary>Turns an <see cref="ActionSpec"/> into a <see cref="RenderedAction"/> for one event.</summary>
public static class ActionRenderer
{
    public static RenderedAction Render(ActionSpec spec, EvalContext ctx, string ruleId, RuleEvent ev, string? series)
    {
        var header = new RenderedAction
        {
            Time = ctx.Now,
            RuleId = ruleId,
            Event = ev,
            Series = series,
            Kind = spec.Kind,
        };
        return spec switch
        {
            PublishSpec p => RenderPublish(p, ctx, header),
            TweetSpec t => header with { Text = t.Text.Render(ctx, out _) },
            WebhookSpec w => RenderWebhook(w, ctx, header),
            EmailSpec e => header with
            {
                To = e.To.Select(t => t.Render(ctx, out _)).ToArray(),
                ToIsList = e.ToIsList,
                Subject = e.Subject.Render(ctx, out _),
                Body = e.Body.Render(ctx, out _),
            },
            LogSpec l => header with { Message = l.Message.Render(ctx, out _), Level = l.Level },
            NotifySpec n => RenderNotify(n, ctx, ruleId, ev, series),
            _ => throw new ActionRenderException($"unknown action kind {spec.Kind}"),
        };
    }

    private static RenderedAction RenderNotify(NotifySpec n, EvalContext ctx, string ruleId, RuleEvent ev, string? series)
    {
        var message = n.Message.Render(ctx, out _);
        var previous = ctx.NotifyMessage;
        ctx.NotifyMessage = message;
        try
        {
            var rendered = Render(n.Target, ctx, ruleId, ev, series) with { Notifier = n.Notifier };
            return rendered.Kind == ActionKind.Log ? rendered : rendered with { Message = message };
        }
        finally
        {
            ctx.NotifyMessage = previous;
        }
    }

    private static RenderedAction RenderPublish(PublishSpec p, EvalContext ctx, RenderedAction header)
    {
        var topic = p.Topic.Render(ctx, HoleEncoding.Topic, out _);
        var problem = HoleEncoding.TopicProblem(topic);
        if (problem is not null)
        {
            throw new ActionRenderException($"publish topic '{p.Topic.Source}' rendered badly: {problem}");
        }

        var (payload, isJson) = RenderContent(p.Payload, ctx);
        return header with { Topic = topic, Payload = payload, PayloadIsJson = isJson, Qos = p.Qos, Retain = p.Retain };
    }

    private static RenderedAction RenderWebhook(WebhookSpec w, EvalContext ctx, RenderedAction header)
    {
        var url = w.Url.Render(ctx, HoleEncoding.Url, out _);
        if (url.Any(char.IsControl))
        {
            throw new ActionRenderException($"webhook url '{w.Url.Source}' rendered with a control character");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ActionRenderException($"webhook url '{w.Url.Source}' rendered to '{url}', which is not an http(s) URL");
        }

        if (HoleEncoding.DotSegment(url) is { } dots)
        {
            throw new ActionRenderException(
                $"webhook url '{w.Url.Source}' rendered with a '{dots}' path segment, which the HTTP client removes (changing the request path); refused");
        }

        var headers = w.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.Render(ctx, HoleEncoding.Header, out _))).ToArray();
        var (body, isJson) = w.Body is null ? (null, false) : RenderContent(w.Body, ctx);
        return header with { Url = url, Method = w.Method, Headers = headers, Body = body, BodyIsJson = isJson };
    }

    /// <summary>Renders a text template, or a mapping/list as compact JSON.</summary>
    public static (string Text, bool IsJson) RenderContent(ContentSpec content, EvalContext ctx)
    {
        switch (content)
        {
            case TextContent t:
                var text = t.Template.Render(ctx, out var failed);
                return t.Template.IsSingleHole && failed is not null ? throw new UnevaluatedContentException(failed) : (text, false);
            case JsonContent j:
                var buffer = new ArrayBufferWriter<byte>(256);
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    string? missing = null;
                    j.Root.Write(writer, ctx, ref missing);
                }

                return (Encoding.UTF8.GetString(buffer.WrittenSpan), true);
            default:
                return ("", false);
        }
    }
}

