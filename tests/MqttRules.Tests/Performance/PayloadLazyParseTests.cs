using System.Globalization;
using System.Text;
using System.Text.Json;
using MqttRules.Payloads;
using MqttRules.Values;

namespace MqttRules.Tests.Performance;

/// <summary>
/// Payload reads fields with a reader instead of a JsonDocument (a hot path optimisation).
/// These pin that it accepts, rejects and answers exactly as the JsonDocument version did.
/// </summary>
public class PayloadLazyParseTests
{
    public static TheoryData<string> Malformed => new()
    {
        "{",
        "{\"a\": 1,}",
        "{\"a\": 1} x",
        "{\"a\": 1}{}",
        "[1, 2",
        "{\"a\": /* c */ 1}",
        "{'a': 1}",
        "\"unterminated",
        "{\"a\": tru}",
        "{\"a\": 01}",
        new string('[', 65) + new string(']', 65),
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TryParse_JsonDocumentRejects_ReadAsText(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 }));

        using var payload = Payload.TryParse(bytes, out var error);

        Assert.Null(error);
        Assert.Equal(PayloadKind.Text, payload!.Kind);
        Assert.Equal(json, payload.Text);
    }

    [Fact]
    public void TryParse_DepthOf64_Accepted()
    {
        var json = new string('[', 64) + new string(']', 64);

        using var payload = Payload.TryParse(Encoding.UTF8.GetBytes(json), out var error);

        Assert.Equal(PayloadKind.Json, payload!.Kind);
        Assert.Null(error);
    }

    public static TheoryData<string, string> Reads => new()
    {
        { """{"lpm": 42.5, "ts": 1764000000}""", "lpm" },
        { """{"lpm": 42.5, "ts": 1764000000}""", "ts" },
        { """{"lpm": 42.5, "ts": 1764000000}""", "value" },
        { """{"lpm": 42.5}""", "lpm.x" },
        { """{"flow": {"lpm": 7}}""", "flow.lpm" },
        { """{"flow": {"lpm": 7}}""", "flow" },
        { """{"flow": {"lpm": 7}, "x": [1, {"y": "z"}]}""", "x" },
        { """{"readings": [{"value": 1}, {"value": 2}]}""", "readings.1.value" },
        { """{"readings": [{"value": 1}, {"value": 2}]}""", "readings.2.value" },
        { """{"readings": [{"value": 1}, {"value": 2}]}""", "readings.01.value" },
        { """{"readings": [{"value": 1}, {"value": 2}]}""", "readings.-1.value" },
        { """{"readings": [1, 2]}""", "readings.first" },
        { """{"a": 1, "a": 2}""", "a" },
        { """{"a": {"b": 1}, "a": {"c": 2}}""", "a.c" },
        { """{"a": {"b": 1}, "a": {"c": 2}}""", "a.b" },
        { """{"l\u0070m": 3}""", "lpm" },
        { """{"s": "caf\u00e9 \"q\""}""", "s" },
        { """{"t": true, "f": false, "n": null}""", "t" },
        { """{"t": true, "f": false, "n": null}""", "f" },
        { """{"t": true, "f": false, "n": null}""", "n" },
        { """{"big": 1e308, "neg": -0.0, "exp": 2.5E-3}""", "big" },
        { """{"big": 1e308, "neg": -0.0, "exp": 2.5E-3}""", "neg" },
        { """{"big": 1e308, "neg": -0.0, "exp": 2.5E-3}""", "exp" },
        { """[10, 20, 30]""", "2" },
        { """[10, 20, 30]""", "3" },
        { """ "just text" """, "a" },
        { """  {  "spaced" : [ 1 , 2 ] }  """, "spaced" },
        { """{"Lpm": 1}""", "lpm" },
        { """{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7, "h": 8, "i": 9, "a": 10}""", "a" },
        { """{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7, "h": 8, "i": 9}""", "i" },
        { """{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7, "h": 8}""", "h" },
        { """{"\u00e9t\u00e9": 1, "lpm": 2}""", "lpm" },
        { """{"\u00e9t\u00e9": 1, "lpm": 2}""", "été" },
        { """{"café": 3, "cafe": 4}""", "café" },
        { """{"café": 3, "cafe": 4}""", "cafe" },
        { """{"a": [1, 2], "b": {"c": "d"}, "s": "x"}""", "a.1" },
        { """{"a": [1, 2], "b": {"c": "d"}, "s": "x"}""", "b.c" },
        { """{"a": [1, 2], "b": {"c": "d"}, "s": "x"}""", "b" },
        { """{"a": [1, 2], "b": {"c": "d"}, "s": "x"}""", "s.0" },
        { """{"n":1,"m":{"n":2}}""", "n" },
        { """{"lpm":12.5,"ts":1764000000}""", "ts" },
        { "{\n  \"lpm\"\t:\r\n 7 }", "lpm" },
        { """{"x": {}, "y": []}""", "x" },
        { """{"x": {}, "y": []}""", "y" },
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public void Get_AnyPath_SameValueAsJsonDocument(string json, string path)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var segments = JsonPath.Split(path);

        using var payload = Payload.TryParse(bytes, out _);

        Assert.NotNull(payload);
        Assert.Equal(Reference(bytes, segments), payload.Get(segments));
    }

    [Theory]
    [InlineData("""{"huge": 1e400}""")]
    [InlineData("""{"huge": -1e400}""")]
    public void Get_NumberTooLargeForDouble_MissingLikeJsonDocument(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        using var payload = Payload.TryParse(bytes, out _);

        Assert.Equal(Reference(bytes, ["huge"]), payload!.Get(["huge"]));
        Assert.True(payload.Get(["huge"]).IsMissing);
    }

    [Theory]
    [InlineData("{\"a\": 1}", JsonValueKind.Object)]
    [InlineData(" [1]", JsonValueKind.Array)]
    [InlineData("\"s\"", JsonValueKind.String)]
    [InlineData("true", JsonValueKind.True)]
    [InlineData(" false ", JsonValueKind.False)]
    [InlineData("null", JsonValueKind.Null)]
    public void RootKind_JsonPayload_MatchesRootElement(string json, JsonValueKind expected)
    {
        using var payload = Payload.TryParse(Encoding.UTF8.GetBytes(json), out _);

        Assert.Equal(expected, payload!.RootKind);
        Assert.Equal(expected, payload.Root!.Value.ValueKind);
    }

    [Theory]
    [InlineData("\"text\"")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("{\"a\": 1}")]
    [InlineData("21.5")]
    [InlineData("hello")]
    public void AsValue_AnyPayload_SameAsBefore(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        using var payload = Payload.TryParse(bytes, out _);
        using var doc = text[0] is '"' or '{' or 't' or 'n' ? JsonDocument.Parse(bytes) : null;

        var expected = doc is null
            ? (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? Value.Of(n) : Value.Of(text))
            : doc.RootElement.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? Value.Of(text) : Payload.ToValue(doc.RootElement);

        Assert.Equal(expected, payload!.AsValue());
    }

    [Fact]
    public void Get_AfterDispose_Missing()
    {
        var payload = Payload.TryParse("{\"a\": 1}"u8.ToArray(), out _)!;

        payload.Dispose();

        Assert.True(payload.Get(["a"]).IsMissing);
        Assert.Null(payload.Root);
    }

    [Fact]
    public void Root_AfterFieldReads_StillTheWholeDocument()
    {
        using var payload = Payload.TryParse("{\"a\": {\"b\": [1, 2]}}"u8.ToArray(), out _)!;

        Assert.Equal(Value.Of(2), payload.Get(["a", "b", "1"]));
        Assert.Equal(2, payload.Root!.Value.GetProperty("a").GetProperty("b").GetArrayLength());
        Assert.Equal(Value.Of(1), payload.Get(["a", "b", "0"]));
    }

    [Fact]
    public void JsonPathSplit_SamePathTwice_SameSegmentsShared()
    {
        var first = JsonPath.Split("flow.lpm");
        var second = JsonPath.Split(string.Concat("flow", ".lpm"));

        Assert.Equal(["flow", "lpm"], first);
        Assert.Same(first, second);
        Assert.Equal(["a", "", "b"], JsonPath.Split("a..b"));
    }

    /// <summary>The JsonDocument-based read that Payload.Get did before the reader.</summary>
    private static Value Reference(byte[] json, string[] path)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        var e = doc.RootElement;
        foreach (var segment in path)
        {
            if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(segment, out var child))
            {
                e = child;
            }
            else if (e.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < e.GetArrayLength())
            {
                e = e[i];
            }
            else
            {
                return Value.Missing;
            }
        }

        return Payload.ToValue(e);
    }
}
