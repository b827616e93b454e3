using System.Text;
using MqttRules.Replay;

namespace MqttRules.Tests.Replay;

/// <summary>The replay input format: one JSON object per line, <c>t</c> ISO or seconds after --start (SPEC §4, §5).</summary>
public class ReplayReaderTests
{
    private static readonly DateTimeOffset Start = ReplayReader.DefaultStart;

    private static List<ReplayLine> Read(string text, DateTimeOffset? start = null) =>
        ReplayReader.Read(new StringReader(text), start ?? Start).ToList();

    [Fact]
    public void DefaultStart_IsNewYear2026Utc()
    {
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), ReplayReader.DefaultStart);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("90", 90_000)]
    [InlineData("1.5", 1_500)]
    [InlineData("0.001", 1)]
    public void Read_NumericT_SecondsAfterStart(string t, long milliseconds)
    {
        var line = Assert.Single(Read($"{{\"t\": {t}, \"topic\": \"a\", \"payload\": 1}}"));
        Assert.Equal(Start.AddMilliseconds(milliseconds), line.Time);
    }

    [Fact]
    public void Read_NumericT_RelativeToGivenStart()
    {
        var start = new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(start.AddSeconds(60), Read("{\"t\": 60, \"topic\": \"a\"}", start)[0].Time);
    }

    [Theory]
    [InlineData("2026-01-01T00:10:00Z", "2026-01-01T00:10:00.000Z")]
    [InlineData("2026-01-01T00:10:00.250Z", "2026-01-01T00:10:00.250Z")]
    [InlineData("2026-01-01T01:10:00+01:00", "2026-01-01T00:10:00.000Z")]
    [InlineData("2026-01-01T00:10:00", "2026-01-01T00:10:00.000Z")]
    public void Read_IsoT_UtcInstant(string t, string expected)
    {
        var line = Assert.Single(Read($"{{\"t\": \"{t}\", \"topic\": \"a\"}}"));
        Assert.Equal(expected, ReplayReader.Format(line.Time));
    }

    [Theory]
    [InlineData("\"payload\": {\"flow\": {\"lpm\": 12.5}}", "{\"flow\":{\"lpm\":12.5}}")]
    [InlineData("\"payload\": [1, 2, 3]", "[1,2,3]")]
    [InlineData("\"payload\": 21.5", "21.5")]
    [InlineData("\"payload\": true", "true")]
    [InlineData("\"payload\": \"ON\"", "ON")]
    [InlineData("\"payload\": \"{\\\"a\\\": 1}\"", "{\"a\": 1}")]
    [InlineData("\"payload\": \"grüße\"", "grüße")]
    [InlineData("\"payload\": {\"text\": \"grüße <b>\"}", "{\"text\":\"grüße <b>\"}")]
    [InlineData("\"payload_b64\": \"SGVsbG8=\"", "Hello")]
    [InlineData("\"payload\": \"\"", "")]
    public void Read_Payload_StringAsIsJsonCompactBase64Bytes(string member, string expected)
    {
        var line = Assert.Single(Read($"{{\"t\": 0, \"topic\": \"a\", {member}}}"));
        Assert.Equal(expected, Encoding.UTF8.GetString(line.Payload!));
    }

    [Fact]
    public void Read_PayloadB64_KeepsArbitraryBytes()
    {
        var line = Assert.Single(Read("{\"t\": 0, \"topic\": \"a\", \"payload_b64\": \"//4A\"}"));
        Assert.Equal(new byte[] { 0xff, 0xfe, 0x00 }, line.Payload);
    }

    [Fact]
    public void Read_NoPayload_EmptyPayload()
    {
        Assert.Empty(Assert.Single(Read("{\"t\": 0, \"topic\": \"a\"}")).Payload!);
    }

    [Fact]
    public void Read_LoneSurrogate_BadPayloadNotBadLine()
    {
        var line = Assert.Single(Read("{\"t\": 0, \"topic\": \"a\", \"payload\": \"x\\ud800y\"}"));
        Assert.Null(line.Payload);
    }

    [Fact]
    public void Read_BlankLines_SkippedButCountedInLineNumbers()
    {
        var lines = Read("\n{\"t\": 0, \"topic\": \"a\"}\n   \n\n{\"t\": 1, \"topic\": \"b\"}\n");
        Assert.Equal([2, 5], lines.Select(l => l.LineNumber));
    }

    [Fact]
    public void Read_EqualTimes_Allowed()
    {
        Assert.Equal(2, Read("{\"t\": 5, \"topic\": \"a\"}\n{\"t\": 5, \"topic\": \"b\"}").Count);
    }

    [Fact]
    public void Read_TimeGoingBackwards_ErrorNamingTheLine()
    {
        var ex = Assert.Throws<ReplayFormatException>(() => Read("{\"t\": 10, \"topic\": \"a\"}\n\n{\"t\": 5, \"topic\": \"a\"}"));
        Assert.Equal(3, ex.Line);
        Assert.Contains("earlier than the previous line", ex.Message);
    }

    [Fact]
    public void Read_IsoThenEarlierNumeric_ErrorNamingTheLine()
    {
        var ex = Assert.Throws<ReplayFormatException>(() => Read("{\"t\": \"2026-01-01T01:00:00Z\", \"topic\": \"a\"}\n{\"t\": 60, \"topic\": \"a\"}"));
        Assert.Equal(2, ex.Line);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("\"text\"")]
    [InlineData("{\"topic\": \"a\"}")]
    [InlineData("{\"t\": 0}")]
    [InlineData("{\"t\": 0, \"topic\": \"\"}")]
    [InlineData("{\"t\": 0, \"topic\": 5}")]
    [InlineData("{\"t\": \"yesterday\", \"topic\": \"a\"}")]
    [InlineData("{\"t\": true, \"topic\": \"a\"}")]
    [InlineData("{\"t\": 0, \"topic\": \"a/+\"}")]
    [InlineData("{\"t\": 0, \"topic\": \"a\", \"payload_b64\": \"***\"}")]
    [InlineData("{\"t\": 0, \"topic\": \"a\"")]
    public void Read_BadLine_ErrorNamingTheLine(string bad)
    {
        var ex = Assert.Throws<ReplayFormatException>(() => Read("{\"t\": 0, \"topic\": \"ok\"}\n" + bad));
        Assert.Equal(2, ex.Line);
        Assert.StartsWith("line 2: ", ex.Message);
    }

    [Theory]
    [InlineData(0, "2026-01-01T00:00:00.000Z")]
    [InlineData(600_000, "2026-01-01T00:10:00.000Z")]
    [InlineData(1, "2026-01-01T00:00:00.001Z")]
    public void Format_IsoUtcWithMilliseconds(long ms, string expected)
    {
        Assert.Equal(expected, ReplayReader.Format(Start.AddMilliseconds(ms)));
    }

    [Fact]
    public void Format_OffsetTime_PrintedInUtc()
    {
        Assert.Equal("2026-01-01T00:00:00.000Z", ReplayReader.Format(new DateTimeOffset(2026, 1, 1, 2, 0, 0, TimeSpan.FromHours(2))));
    }
}
