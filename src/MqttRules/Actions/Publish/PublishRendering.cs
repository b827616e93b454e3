using MqttRules.Expressions;
using MqttRules.Rules;

namespace MqttRules.Actions.Publish;

internal static class PublishRendering
{
    /// <summary>The topic must be a valid topic name once rendered; the payload is rendered straight to UTF-8.</summary>
    public static PublishAction Render(PublishSpec p, EvalContext ctx, ActionOrigin origin)
    {
        var topic = p.Topic.Render(ctx, HoleEncoding.Topic, out _);
        var problem = HoleEncoding.TopicProblem(topic);
        if (problem is not null)
        {
            throw new ActionRenderException($"publish topic '{p.Topic.Source}' rendered badly: {problem}");
        }

        var (payload, isJson) = ContentRendering.Utf8(p.Payload, ctx);
        return new PublishAction { Origin = origin, Topic = topic, Payload = payload, PayloadIsJson = isJson, Qos = p.Qos, Retain = p.Retain };
    }
}
