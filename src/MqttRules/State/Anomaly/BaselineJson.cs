using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MqttRules.State.Anomaly;

/// <summary>
/// The saved form of every baseline kind (version 1): what it was built for, so a changed rule
/// starts afresh, and its state. Ring baselines keep their non-empty slots in <see cref="Data"/>
/// (base64 in the JSON), 28 bytes a slot little-endian: slot, key, count, mean, M2 — formatting
/// hundreds of numbers as JSON text was the cost of saving a seasonal baseline.
/// </summary>
internal sealed record BaselineJson
{
    private const int SlotBytes = 4 + 8 + 4 + 8 + 4;

    [JsonPropertyName("v")] public int Version { get; init; } = 1;
    [JsonPropertyName("method")] public string Method { get; init; } = "";

    /// <summary>The window (zscore, seasonal) or half-life (ewma), in ticks.</summary>
    [JsonPropertyName("window")] public long WindowTicks { get; init; }
    [JsonPropertyName("zone")] public string? Zone { get; init; }

    /// <summary>The latest time the baseline has seen (UTC ticks); time never runs backwards inside it.</summary>
    [JsonPropertyName("last")] public long LastTicks { get; init; }
    [JsonPropertyName("data")] public byte[] Data { get; init; } = [];

    /// <summary>EWMA only: decayed weight, mean, decayed M2 and number of learned values.</summary>
    [JsonPropertyName("weight")] public double Weight { get; init; }
    [JsonPropertyName("mean")] public double Mean { get; init; }
    [JsonPropertyName("m2")] public double M2 { get; init; }
    [JsonPropertyName("n")] public int Count { get; init; }

    public string Serialize() => JsonSerializer.Serialize(this, BaselineJsonContext.Default.BaselineJson);

    public static BaselineJson? TryParse(string json)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize(json, BaselineJsonContext.Default.BaselineJson);
            return parsed is { Version: 1 } && parsed.Data.Length % SlotBytes == 0 ? parsed : null;
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

        var data = new byte[n * SlotBytes];
        var span = data.AsSpan();
        for (var i = 0; i < stats.Length; i++)
        {
            if (stats[i].Count > 0)
            {
                BinaryPrimitives.WriteInt32LittleEndian(span, i);
                BinaryPrimitives.WriteInt64LittleEndian(span[4..], key(i));
                BinaryPrimitives.WriteInt32LittleEndian(span[12..], stats[i].Count);
                BinaryPrimitives.WriteDoubleLittleEndian(span[16..], stats[i].Mean);
                BinaryPrimitives.WriteSingleLittleEndian(span[24..], stats[i].M2);
                span = span[SlotBytes..];
            }
        }

        return new BaselineJson { Method = method, WindowTicks = window, Zone = zone, LastTicks = last, Data = data };
    }

    /// <summary>Puts saved slots back into a ring of the same shape; false when they do not fit.</summary>
    public bool RestoreSlots(long[] keys, RunningStats[] stats)
    {
        ReadOnlySpan<byte> span = Data;
        for (; span.Length >= SlotBytes; span = span[SlotBytes..])
        {
            var i = BinaryPrimitives.ReadInt32LittleEndian(span);
            var count = BinaryPrimitives.ReadInt32LittleEndian(span[12..]);
            if (i < 0 || i >= stats.Length || count <= 0)
            {
                return false;
            }

            keys[i] = BinaryPrimitives.ReadInt64LittleEndian(span[4..]);
            stats[i] = new RunningStats
            {
                Count = count,
                Mean = BinaryPrimitives.ReadDoubleLittleEndian(span[16..]),
                M2 = BinaryPrimitives.ReadSingleLittleEndian(span[24..]),
            };
        }

        return true;
    }
}

[JsonSerializable(typeof(BaselineJson))]
internal sealed partial class BaselineJsonContext : JsonSerializerContext;
