using System.Text.Json;
using System.Text.Json.Serialization;

namespace MqttRules.State.Anomaly;

/// <summary>
/// The saved form of every baseline kind: what it was built for (so a changed rule starts afresh)
/// and its non-empty slots as parallel arrays. Version 1.
/// </summary>
internal sealed record BaselineJson
{
    [JsonPropertyName("v")] public int Version { get; init; } = 1;
    [JsonPropertyName("method")] public string Method { get; init; } = "";
    [JsonPropertyName("window")] public long WindowTicks { get; init; }
    [JsonPropertyName("zone")] public string? Zone { get; init; }

    /// <summary>The latest time the baseline has seen (UTC ticks); time never runs backwards inside it.</summary>
    [JsonPropertyName("last")] public long LastTicks { get; init; }
    [JsonPropertyName("slot")] public int[] Slots { get; init; } = [];
    [JsonPropertyName("key")] public long[] Keys { get; init; } = [];
    [JsonPropertyName("n")] public int[] Counts { get; init; } = [];
    [JsonPropertyName("mean")] public double[] Means { get; init; } = [];
    [JsonPropertyName("m2")] public float[] M2s { get; init; } = [];

    /// <summary>EWMA only: the decayed total weight.</summary>
    [JsonPropertyName("weight")] public double Weight { get; init; }

    /// <summary>EWMA only: the decayed sum of squared deviations.</summary>
    [JsonPropertyName("ewma_m2")] public double EwmaM2 { get; init; }

    public string Serialize() => JsonSerializer.Serialize(this, BaselineJsonContext.Default.BaselineJson);

    public static BaselineJson? TryParse(string json)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize(json, BaselineJsonContext.Default.BaselineJson);
            return parsed is { Version: 1 } && parsed.Slots.Length == parsed.Keys.Length
                && parsed.Slots.Length == parsed.Counts.Length && parsed.Slots.Length == parsed.Means.Length
                && parsed.Slots.Length == parsed.M2s.Length ? parsed : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The non-empty slots of a ring, for saving.</summary>
    public static BaselineJson FromSlots(string method, long window, string? zone, long last, Func<int, long> key, RunningStats[] stats)
    {
        var n = 0;
        foreach (var s in stats)
        {
            n += s.Count > 0 ? 1 : 0;
        }

        var (slots, keys, counts, means, m2s) = (new int[n], new long[n], new int[n], new double[n], new float[n]);
        for (int i = 0, j = 0; i < stats.Length; i++)
        {
            if (stats[i].Count > 0)
            {
                (slots[j], keys[j], counts[j], means[j], m2s[j]) = (i, key(i), stats[i].Count, stats[i].Mean, stats[i].M2);
                j++;
            }
        }

        return new BaselineJson
        {
            Method = method, WindowTicks = window, Zone = zone, LastTicks = last,
            Slots = slots, Keys = keys, Counts = counts, Means = means, M2s = m2s,
        };
    }

    /// <summary>Puts saved slots back into a ring of the same shape; false when they do not fit.</summary>
    public bool RestoreSlots(long[] keys, RunningStats[] stats)
    {
        for (var j = 0; j < Slots.Length; j++)
        {
            var i = Slots[j];
            if (i < 0 || i >= stats.Length || Counts[j] <= 0)
            {
                return false;
            }

            keys[i] = Keys[j];
            stats[i] = new RunningStats { Count = Counts[j], Mean = Means[j], M2 = M2s[j] };
        }

        return true;
    }
}

[JsonSerializable(typeof(BaselineJson))]
internal sealed partial class BaselineJsonContext : JsonSerializerContext;
