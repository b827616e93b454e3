using MqttRules.Values;

namespace MqttRules.Expressions;

public enum Aggregate { Avg, Min, Max, Sum, Count }

/// <summary>The engine's history of topics that rules reference, for <c>last()</c> and window aggregates.</summary>
public interface IHistory
{
    Value Last(string topic, string? path);

    Value Aggregate(Aggregate aggregate, string topic, string path, TimeSpan window, DateTimeOffset now);
}

/// <summary>History for rules that reference none: every lookup is missing.</summary>
internal sealed class NoHistory : IHistory
{
    public static NoHistory Instance { get; } = new();

    public Value Last(string topic, string? path) => Value.Missing;

    public Value Aggregate(Aggregate aggregate, string topic, string path, TimeSpan window, DateTimeOffset now) => Value.Missing;
}
