using System.Text.Json;
using System.Text.Json.Serialization;
using MqttRules.Values;

namespace MqttRules.History;

/// <summary>The saved form of a <see cref="MessageHistory"/> (version 1).</summary>
internal static class HistoryJson
{
    public static string Save(IEnumerable<HistorySeries> series, long last) => JsonSerializer.Serialize(new Saved
    {
        Last = last,
        Series = series.Select(ToSaved).ToArray(),
    }, HistoryJsonContext.Default.Saved);

    /// <summary>Fills matching series from JSON; returns the saved latest time, or null when the JSON is unreadable.</summary>
    public static long? Load(string json, IReadOnlyDictionary<(string, string?), HistorySeries> byKey)
    {
        Saved? saved;
        try
        {
            saved = JsonSerializer.Deserialize(json, HistoryJsonContext.Default.Saved);
        }
        catch (JsonException)
        {
            return null;
        }

        if (saved is not { Version: 1 })
        {
            return null;
        }

        foreach (var s in saved.Series)
        {
            if (byKey.TryGetValue((s.Topic, s.Path), out var series))
            {
                Restore(s, series);
            }
        }

        return saved.Last;
    }

    private static SavedSeries ToSaved(HistorySeries s)
    {
        var b = s.Buckets;
        var used = b is null ? [] : Enumerable.Range(0, b.Keys.Length).Where(i => b.Stats[i].Count > 0).ToArray();
        return new SavedSeries
        {
            Topic = s.Topic,
            Path = s.Path,
            Kind = s.Last.Kind,
            Number = s.Last.Number,
            Text = s.Last.Text,
            Width = b?.Width ?? 0,
            Buckets = used.Select(i => new[] { b!.Keys[i], b.Stats[i].Count }).ToArray(),
            Values = used.Select(i => new[] { b!.Stats[i].Sum, b.Stats[i].Min, b.Stats[i].Max }).ToArray(),
        };
    }

    private static void Restore(SavedSeries s, HistorySeries series)
    {
        series.Last = s.Kind switch
        {
            ValueKind.Number => Value.Of(s.Number),
            ValueKind.Text => Value.Of(s.Text),
            ValueKind.Bool => Value.Of(s.Number != 0),
            _ => Value.Missing,
        };
        if (series.Buckets is not { } b || b.Width != s.Width || s.Buckets.Length != s.Values.Length)
        {
            return;
        }

        for (var j = 0; j < s.Buckets.Length; j++)
        {
            if (s.Buckets[j] is [var key, var count] && count > 0 && s.Values[j] is [var sum, var min, var max])
            {
                var slot = (int)(key % b.Keys.Length);
                b.Keys[slot] = key;
                b.Stats[slot] = new BucketStats { Count = count, Sum = sum, Min = min, Max = max };
            }
        }
    }

    internal sealed record Saved
    {
        [JsonPropertyName("v")] public int Version { get; init; } = 1;
        [JsonPropertyName("last")] public long Last { get; init; }
        [JsonPropertyName("series")] public SavedSeries[] Series { get; init; } = [];
    }

    internal sealed record SavedSeries
    {
        [JsonPropertyName("topic")] public string Topic { get; init; } = "";
        [JsonPropertyName("path")] public string? Path { get; init; }
        [JsonPropertyName("kind")] public ValueKind Kind { get; init; }
        [JsonPropertyName("number")] public double Number { get; init; }
        [JsonPropertyName("text")] public string? Text { get; init; }
        [JsonPropertyName("width")] public long Width { get; init; }
        [JsonPropertyName("buckets")] public long[][] Buckets { get; init; } = [];
        [JsonPropertyName("values")] public double[][] Values { get; init; } = [];
    }
}

/// <summary>Source-generated (no reflection: trimming and native AOT keep it working); the same JSON as before.</summary>
[JsonSerializable(typeof(HistoryJson.Saved))]
internal sealed partial class HistoryJsonContext : JsonSerializerContext;
