using MqttRules.Values;

namespace MqttRules.Expressions;

/// <summary>What names an expression may refer to, decided by the rule it belongs to.</summary>
internal sealed class CompileScope
{
    public IReadOnlyList<TopicCapture> Captures { get; init; } = [];

    /// <summary>False for scheduled rules: there is no message, so no fields, value, topic or payload.</summary>
    public bool HasMessage { get; init; } = true;

    /// <summary>Why there is no message when <see cref="HasMessage"/> is false (the end of a "refers to nothing" problem).</summary>
    public string NoMessage { get; init; } = "a scheduled rule has no message";
    public bool IsAnomaly { get; init; }

    /// <summary>True inside a notifier's templates, where <c>message</c> is set.</summary>
    public bool HasNotifyMessage { get; init; }

    /// <summary>Topics (with optional path) read by history functions; the engine keeps history for these.</summary>
    public HashSet<HistoryKey> HistoryKeys { get; } = [];
}

/// <summary>A topic (or filter) and JSON path whose history rules read; <see cref="Window"/> is set for window aggregates.</summary>
public readonly record struct HistoryKey(string Topic, string? Path, TimeSpan Window = default);
