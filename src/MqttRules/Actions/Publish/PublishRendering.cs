using MqttRules.Expressions;
using MqttRules.Rules;

namespace MqttRules.Actions.Publish;

internal static class PublishRendering
{
    /// <summary>The topic must be a valid topic name once rendered; the payload is rendered straight to UTF-8.</summary>
    public static PublishAction Render(PublishSpec p, EvalContext ctx, ActionOrigin origin)
    {
        var topic = Topic(p.Topic, ctx, "publish topic");
        var (payload, isJson) = ContentRendering.Utf8(p.Payload, ctx);
        return new PublishAction { Origin = origin, Topic = topic, Payload = payload, PayloadIsJson = isJson, Qos = p.Qos, Retain = p.Retain };
    }

    /// <summary>A topic template rendered, its holes kept within one level each; throws when the result is no valid topic name.</summary>
    public static string Topic(Template template, EvalContext ctx, string what)
    {
        var topic = template.Render(ctx, HoleEncoding.Topic, out _);
        if (HoleEncoding.TopicProblem(topic) is { } problem)
        {
            throw new ActionRenderException($"{what} '{template.Source}' rendered badly: {problem}");
        }

        return topic;
    }
}
