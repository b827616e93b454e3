using MqttRules.Expressions;

namespace MqttRules.Rules;

/// <summary>
/// A publish that asks for confirmation: a message on <see cref="Topic"/> (rendered with the rule's
/// variables) for which <see cref="When"/> holds, within <see cref="Within"/> of the publish; otherwise
/// the publish is sent again, up to <see cref="Retries"/> times, then the rule's <c>on_unconfirmed</c> runs.
/// </summary>
/// <param name="Filter">What the engine subscribes to receive the confirmation: the topic with every level that holds a hole as <c>+</c>.</param>
/// <param name="When">The condition on the confirmation message; null: any message on the topic confirms.</param>
internal sealed record ConfirmSpec(SourceLocation Location, Template Topic, string Filter, CompiledExpression? When, TimeSpan Within, int Retries)
{
    public const int MaxRetries = 10;

    /// <summary>The subscription that receives every topic <paramref name="topic"/> can render: a level with a hole is <c>+</c>, a raw hole (<c>{{{ }}}</c>) may add levels, so <c>#</c> from there on.</summary>
    public static string FilterOf(string topic)
    {
        var levels = topic.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            if (levels[i].Contains("{{{", StringComparison.Ordinal))
            {
                return string.Join('/', levels[..i].Append("#"));
            }

            if (levels[i].Contains("{{", StringComparison.Ordinal))
            {
                levels[i] = "+";
            }
        }

        return string.Join('/', levels);
    }
}
