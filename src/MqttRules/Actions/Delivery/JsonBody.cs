using System.Text;
using System.Text.Json;

namespace MqttRules.Actions.Delivery;

/// <summary>A JSON request body written field by field (no reflection), sent as <c>application/json</c>.</summary>
internal static class JsonBody
{
    public static StringContent Create(Action<Utf8JsonWriter> fields)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            fields(writer);
            writer.WriteEndObject();
        }

        return new StringContent(Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length), Encoding.UTF8, "application/json");
    }

    /// <summary>Writes <paramref name="name"/> only when <paramref name="value"/> is not null or empty.</summary>
    public static void Optional(this Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>An absolute http(s) URL, or null.</summary>
    public static Uri? HttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? u : null;

    /// <summary><paramref name="relative"/> under <paramref name="baseUrl"/>, keeping a base path (<c>https://host/prefix</c> + <c>api/v1</c>).</summary>
    public static Uri Under(Uri baseUrl, string relative) =>
        new(baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/"), relative);
}
