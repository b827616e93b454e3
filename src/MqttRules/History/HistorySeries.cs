using MqttRules.Payloads;
using MqttRules.Values;

namespace MqttRules.History;

/// <summary>What the history keeps for one (topic or filter, path): the latest value and, when a window aggregate reads it, time buckets.</summary>
internal sealed class HistorySeries(string topic, string? path, TimeSpan longestWindow)
{
    private readonly string[]? segments = path is null ? null : JsonPath.Split(path);

    public string Topic { get; } = topic;
    public string? Path { get; } = path;
    public Value Last { get; set; }
    public TimeBuckets? Buckets { get; } = longestWindow > TimeSpan.Zero ? new TimeBuckets(longestWindow) : null;

    /// <summary>Takes one message: its value at the path (the whole payload without a path).</summary>
    public void Record(Payload payload, long utcTicks)
    {
        var value = segments is null ? payload.AsValue() : payload.Get(segments);
        if (value.IsMissing || value.Kind == ValueKind.Null)
        {
            return;
        }

        Last = value;
        if (Buckets is not null && value.TryNumber(out var x) && double.IsFinite(x))
        {
            Buckets.Add(utcTicks, x);
        }
    }
}
