using MqttRules.Payloads;
using MqttRules.Values;

namespace MqttRules.Expressions;

/// <summary>
/// What an expression can see while it is evaluated: the message, the rule's state and the
/// engine's history. One instance is reused for every evaluation on the engine thread.
/// </summary>
public sealed class EvalContext
{
    public DateTimeOffset Now { get; set; }
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;
    public string? Topic { get; set; }
    public Payload? Payload { get; set; }

    /// <summary>Capture values, indexed like the rule's <c>TopicFilter.Captures</c>.</summary>
    public string?[] Captures { get; set; } = [];

    /// <summary>The rule's watched value for this message (Missing when it has none).</summary>
    public Value RuleValue { get; set; }
    public Value Z { get; set; }
    public Value Mean { get; set; }
    public Value Stddev { get; set; }

    /// <summary>Seconds since the condition first held in the current excursion.</summary>
    public double Duration { get; set; }

    /// <summary>The <c>message</c> of a notify action, visible to the notifier's templates.</summary>
    public string? NotifyMessage { get; set; }

    /// <summary>In <c>on_unconfirmed</c>: how many times the publish was sent, and the topic that stayed silent.</summary>
    public int Attempts { get; set; }
    public string? ConfirmTopic { get; set; }
    public IHistory History { get; set; } = NoHistory.Instance;

    /// <summary>The first template hole since <see cref="Reset"/> that could not be evaluated, if any.</summary>
    public string? MissingHole { get; set; }

    /// <summary>Clears the per-message parts before the next evaluation.</summary>
    public void Reset(DateTimeOffset now, TimeZoneInfo zone)
    {
        Now = now;
        TimeZone = zone;
        Topic = null;
        Payload = null;
        Captures = [];
        RuleValue = Value.Missing;
        Z = Value.Missing;
        Mean = Value.Missing;
        Stddev = Value.Missing;
        Duration = 0;
        NotifyMessage = null;
        Attempts = 0;
        ConfirmTopic = null;
        MissingHole = null;
    }
}
