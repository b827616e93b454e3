using MqttRules.Payloads;

namespace MqttRules.Tests.Payloads;

/// <summary>Path syntax: dotted names, array items as .0 or [0], quoted names for keys with dots.</summary>
public class JsonPathTests
{
    [Theory]
    [InlineData("flow.lpm", new[] { "flow", "lpm" })]
    [InlineData("Power[0]", new[] { "Power", "0" })]
    [InlineData("Power.0", new[] { "Power", "0" })]
    [InlineData("StatusSNS.ENERGY.Power[1]", new[] { "StatusSNS", "ENERGY", "Power", "1" })]
    [InlineData("a[0][2].b", new[] { "a", "0", "2", "b" })]
    [InlineData("attributes.\"temp.c\"", new[] { "attributes", "temp.c" })]
    [InlineData("\"a.b\"[0]", new[] { "a.b", "0" })]
    [InlineData("\"x[1]\"", new[] { "x[1]" })]
    public void TryParse_ValidPath_Segments(string path, string[] expected)
    {
        Assert.True(JsonPath.TryParse(path, out var segments, out var error, out _), error);
        Assert.Equal(expected, segments);
        Assert.Equal(expected, JsonPath.Split(path));
    }

    [Theory]
    [InlineData("Power[0", 5, "array index")]
    [InlineData("Power[x]", 5, "array index")]
    [InlineData("Power[]", 5, "array index")]
    [InlineData("a..b", 2, "empty name")]
    [InlineData("a.", 1, "empty name")]
    [InlineData("a]", 1, "unexpected ']'")]
    [InlineData("a.\"b.c", 2, "not closed")]
    [InlineData("a\"b\"", 1, "unexpected '\"'")]
    [InlineData("", 0, "empty")]
    public void TryParse_PathItCannotRead_ErrorAtItsPosition(string path, int offset, string fragment)
    {
        Assert.False(JsonPath.TryParse(path, out _, out var error, out var at));
        Assert.Contains(fragment, error);
        Assert.Equal(offset, at);
        Assert.False(JsonPath.IsValid(path));
    }

    [Theory]
    [InlineData("{\"Power\": [1, 0]}", "Power[0]", "1")]
    [InlineData("{\"Power\": [1, 0]}", "Power.1", "0")]
    [InlineData("{\"attributes\": {\"temp.c\": 21.5, \"temp\": {\"c\": 3}}}", "attributes.\"temp.c\"", "21.5")]
    [InlineData("{\"attributes\": {\"temp.c\": 21.5, \"temp\": {\"c\": 3}}}", "attributes.temp.c", "3")]
    [InlineData("{\"a.b\": [7, 8]}", "\"a.b\"[1]", "8")]
    public void Get_BracketAndQuotedPaths_ReadTheField(string json, string path, string expected)
    {
        using var payload = Payload.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out _)!;
        Assert.Equal(expected, payload.Get(JsonPath.Split(path)).ToString());
    }
}
