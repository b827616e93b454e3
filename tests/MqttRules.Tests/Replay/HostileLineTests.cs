using MqttRules.Replay;

namespace MqttRules.Tests.Replay;

/// <summary>A good line with a hostile payload is a message (its payload is skipped later), not a bad line.</summary>
public class HostileLineTests
{
    [Fact]
    public void Read_DeeplyNestedPayload_IsAMessageNotABadLine()
    {
        var deep = new string('[', 20_000) + new string(']', 20_000);
        var text = "{\"t\": 0, \"topic\": \"t/a\", \"payload\": " + deep + "}\n{\"t\": 1, \"topic\": \"t/b\", \"payload\": 5}\n";

        var lines = ReplayReader.Read(new StringReader(text), ReplayReader.DefaultStart).ToList();

        Assert.Equal(["t/a", "t/b"], lines.Select(l => l.Topic));
        Assert.Equal(40_000, lines[0].Payload!.Length);
    }

    /// <summary>Issue 10, point 3: a time the clock cannot hold was an unhandled exception (exit 134).</summary>
    [Theory]
    [InlineData("-99999999999")]
    [InlineData("999999999999")]
    [InlineData("1e300")]
    [InlineData("\"0001-01-01T00:00:00Z\"")]
    [InlineData("\"9999-12-31T23:59:59Z\"")]
    public void Read_TimeOutsideTheClock_BadLineNamingIt(string t)
    {
        var text = "{\"t\": 0, \"topic\": \"a\", \"payload\": 1}\n{\"t\": " + t + ", \"topic\": \"a\", \"payload\": 1}\n";

        var ex = Assert.Throws<ReplayFormatException>(() => ReplayReader.Read(new StringReader(text), ReplayReader.DefaultStart).ToList());

        Assert.Equal(2, ex.Line);
        Assert.Contains("is not a time between 1970-01-01", ex.Message);
    }

    [Fact]
    public void Read_PayloadWithALoneSurrogateEscape_BadPayloadNotABadLine()
    {
        var text = "{\"t\": 0, \"topic\": \"a\", \"payload\": {\"v\": \"\\udc00\"}}\n{\"t\": 1, \"topic\": \"a\", \"payload\": \"\\ud800\"}\n";

        var lines = ReplayReader.Read(new StringReader(text), ReplayReader.DefaultStart).ToList();

        Assert.All(lines, l => Assert.Null(l.Payload));
    }

    /// <summary>Issue 10: a topic, time or base64 payload that is not valid text ended replay with an InvalidOperationException and no line number.</summary>
    [Theory]
    [InlineData("{\"t\": 1, \"topic\": \"s/\\ud800/x\", \"payload\": {\"v\": 5}}", "\"topic\"")]
    [InlineData("{\"t\": 1, \"topic\": \"\\udc00\", \"payload\": 5}", "\"topic\"")]
    [InlineData("{\"t\": \"2026-01-01\\ud800\", \"topic\": \"a\", \"payload\": 5}", "\"t\"")]
    [InlineData("{\"t\": 1, \"topic\": \"a\", \"payload_b64\": \"AA\\ud800\"}", "\"payload_b64\"")]
    public void Read_StringThatIsNotValidText_BadLineNamingItsNumber(string bad, string key)
    {
        var text = "{\"t\": 0, \"topic\": \"a\", \"payload\": 1}\n" + bad + "\n";

        var ex = Assert.Throws<ReplayFormatException>(() => ReplayReader.Read(new StringReader(text), ReplayReader.DefaultStart).ToList());

        Assert.Equal(2, ex.Line);
        Assert.StartsWith($"line 2: {key} ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("is not valid text", ex.Message, StringComparison.Ordinal);
    }
}
