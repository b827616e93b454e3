using System.Collections.Concurrent;

namespace MqttRules.Payloads;

/// <summary>Dotted JSON paths (<c>flow.lpm</c>, <c>readings.0.value</c>), split once at load.</summary>
public static class JsonPath
{
    private static readonly ConcurrentDictionary<string, string[]> Splits = new(StringComparer.Ordinal);

    /// <summary>
    /// The segments of <paramref name="path"/>. One array per distinct path, shared by every
    /// rule that reads it (10,000 rules reading <c>lpm</c> touch one hot array, not 10,000 cold
    /// ones), so callers must not modify it.
    /// </summary>
    public static string[] Split(string path) => Splits.GetOrAdd(path, static p => p.Split('.'));

    public static bool IsValid(string path) =>
        path.Length > 0 && Array.TrueForAll(path.Split('.'), s => s.Length > 0);
}
