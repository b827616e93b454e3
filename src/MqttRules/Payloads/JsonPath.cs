namespace MqttRules.Payloads;

/// <summary>Dotted JSON paths (<c>flow.lpm</c>, <c>readings.0.value</c>), split once at load.</summary>
public static class JsonPath
{
    public static string[] Split(string path) => path.Split('.');

    public static bool IsValid(string path) =>
        path.Length > 0 && Array.TrueForAll(path.Split('.'), s => s.Length > 0);
}
