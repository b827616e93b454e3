using System.Text;
using MqttRules.Payloads;
using MqttRules.Values;

namespace MqttRules.Tests.Payloads;

/// <summary>A payload is JSON, else a plain number, else text; what cannot be read is counted, never a crash (SPEC §3).</summary>
public class PayloadTests
{
    private static Payload? Parse(string text) => Payload.TryParse(Encoding.UTF8.GetBytes(text), out _);

    [Theory]
    [InlineData("{\"a\": 1}", PayloadKind.Json)]
    [InlineData("[1, 2]", PayloadKind.Json)]
    [InlineData("\"quoted\"", PayloadKind.Json)]
    [InlineData("true", PayloadKind.Json)]
    [InlineData("null", PayloadKind.Json)]
    [InlineData("  {\"a\": 1}\n", PayloadKind.Json)]
    [InlineData("21.5", PayloadKind.Number)]
    [InlineData("-3", PayloadKind.Number)]
    [InlineData(" 42 ", PayloadKind.Number)]
    [InlineData("1e3", PayloadKind.Number)]
    [InlineData(".5", PayloadKind.Number)]
    [InlineData("ON", PayloadKind.Text)]
    [InlineData("NaN", PayloadKind.Text)]
    [InlineData("Infinity", PayloadKind.Text)]
    [InlineData("1e999", PayloadKind.Text)]
    [InlineData("12 apples", PayloadKind.Text)]
    [InlineData("", PayloadKind.Text)]
    [InlineData("grüße 🌡", PayloadKind.Text)]
    public void TryParse_Kinds_JsonElseNumberElseText(string text, PayloadKind kind)
    {
        var payload = Parse(text);
        Assert.NotNull(payload);
        Assert.Equal(kind, payload.Kind);
    }

    [Theory]
    [InlineData("21.5", 21.5)]
    [InlineData(" -3 ", -3)]
    [InlineData("1e3", 1000)]
    public void TryParse_PlainNumber_Number(string text, double number)
    {
        Assert.Equal(number, Parse(text)!.Number);
    }

    [Fact]
    public void TryParse_Text_KeepsTheRawText()
    {
        Assert.Equal("grüße 🌡", Parse("grüße 🌡")!.Text);
    }

    [Fact]
    public void TryParse_InvalidUtf8_NullWithReason()
    {
        Assert.Null(Payload.TryParse(new byte[] { 0x41, 0xff, 0xfe, 0x42 }, out var error));
        Assert.Contains("UTF-8", error);
    }

    [Fact]
    public void TryParse_OverTheSizeLimit_NullWithReason()
    {
        var huge = new byte[Payload.MaxBytes + 1];
        huge.AsSpan().Fill((byte)'7');
        Assert.Null(Payload.TryParse(huge, out var error));
        Assert.Contains("limit", error);
    }

    [Fact]
    public void TryParse_LargeJsonUnderTheLimit_Parsed()
    {
        var json = "{\"value\": 1, \"pad\": \"" + new string('x', 500_000) + "\"}";
        var payload = Parse(json);
        Assert.Equal(Value.Of(1), payload!.Get(["value"]));
    }

    [Fact]
    public void TryParse_JsonNestedDeeperThan64_TextNoCrash()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);
        var payload = Payload.TryParse(Encoding.UTF8.GetBytes(deep), out _);
        Assert.Equal(PayloadKind.Text, payload!.Kind);
        Assert.True(payload.Get(["0"]).IsMissing);
    }

    [Fact]
    public void TryParse_JsonNested64Deep_Json()
    {
        var json = new string('[', 63) + "{\"value\": 5}" + new string(']', 63);
        Assert.Equal(PayloadKind.Json, Parse(json)!.Kind);
    }

    [Theory]
    [InlineData("{\"a\": 1")]
    [InlineData("{not json}")]
    [InlineData("[1, 2")]
    public void TryParse_MalformedJson_TextNotABadPayload(string text)
    {
        var payload = Parse(text);
        Assert.NotNull(payload);
        Assert.Equal(PayloadKind.Text, payload.Kind);
        Assert.Equal(text, payload.Text);
        Assert.True(payload.Get(["a"]).IsMissing);
    }

    [Theory]
    [InlineData("flow.lpm", "12.5")]
    [InlineData("flow.meta.unit", "L/min")]
    [InlineData("list.0", "1")]
    [InlineData("list.2.x", "3")]
    [InlineData("flag", "true")]
    public void Get_DottedPath_ReadsNestedFields(string path, string expected)
    {
        var payload = Parse("{\"flow\": {\"lpm\": 12.5, \"meta\": {\"unit\": \"L/min\"}}, \"list\": [1, 2, {\"x\": 3}], \"flag\": true}")!;
        Assert.Equal(expected, payload.Get(JsonPath.Split(path)).ToString());
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("flow.nope")]
    [InlineData("flow.lpm.deeper")]
    [InlineData("list.9")]
    [InlineData("list.-1")]
    [InlineData("list.x")]
    public void Get_AbsentPath_Missing(string path)
    {
        var payload = Parse("{\"flow\": {\"lpm\": 12.5}, \"list\": [1, 2]}")!;
        Assert.True(payload.Get(JsonPath.Split(path)).IsMissing);
    }

    [Fact]
    public void Get_NonJsonPayload_Missing()
    {
        Assert.True(Parse("21.5")!.Get(["value"]).IsMissing);
        Assert.True(Parse("hello")!.Get(["value"]).IsMissing);
    }

    [Theory]
    [InlineData("flow.lpm", true)]
    [InlineData("value", true)]
    [InlineData("a.0.b", true)]
    [InlineData("", false)]
    [InlineData("a..b", false)]
    [InlineData(".a", false)]
    [InlineData("a.", false)]
    public void IsValid_DottedPath(string path, bool valid)
    {
        Assert.Equal(valid, JsonPath.IsValid(path));
    }
}
