#pragma warning disable CA1707
using System.Text;
using MqttRules.Replay;

namespace MqttRules.Tests.Hosting;

public sealed class RecordWriterTests
{
    private static readonly DateTimeOffset T = new(2026, 1, 1, 0, 0, 1, 500, TimeSpan.Zero);

    private static string Line(byte[] payload)
    {
        using var stream = new MemoryStream();
        using (var w = new RecordWriter(stream))
        {
            w.Write(T, "a/b", payload);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Theory]
    [InlineData("{ \"flow\": { \"lpm\": 12.5 } }", "{\"t\":\"2026-01-01T00:00:01.500Z\",\"topic\":\"a/b\",\"payload\":{\"flow\":{\"lpm\":12.5}}}\n")]
    [InlineData("[1, 2]", "{\"t\":\"2026-01-01T00:00:01.500Z\",\"topic\":\"a/b\",\"payload\":[1,2]}\n")]
    [InlineData("21.5", "{\"t\":\"2026-01-01T00:00:01.500Z\",\"topic\":\"a/b\",\"payload\":\"21.5\"}\n")]
    [InlineData("ON", "{\"t\":\"2026-01-01T00:00:01.500Z\",\"topic\":\"a/b\",\"payload\":\"ON\"}\n")]
    [InlineData("{not json", "{\"t\":\"2026-01-01T00:00:01.500Z\",\"topic\":\"a/b\",\"payload\":\"{not json\"}\n")]
    [InlineData("", "{\"t\":\"2026-01-01T00:00:01.500Z\",\"topic\":\"a/b\",\"payload\":\"\"}\n")]
    [InlineData("Grüße \"x\"", "{\"t\":\"2026-01-01T00:00:01.500Z\",\"topic\":\"a/b\",\"payload\":\"Grüße \\\"x\\\"\"}\n")]
    public void Write_Payloads_AsSpecified(string payload, string expected) =>
        Assert.Equal(expected, Line(Encoding.UTF8.GetBytes(payload)));

    [Fact]
    public void Write_InvalidUtf8_AsBase64() =>
        Assert.Equal("{\"t\":\"2026-01-01T00:00:01.500Z\",\"topic\":\"a/b\",\"payload_b64\":\"//4A\"}\n", Line([0xFF, 0xFE, 0x00]));

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x31, 0x7D })]
    [InlineData(new byte[] { 0x68, 0x69 })]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    public void Write_ThenReplayRead_GivesTheSameBytesBack(byte[] payload)
    {
        var line = Line(payload);

        var read = ReplayReader.Read(new StringReader(line), ReplayReader.DefaultStart).Single();

        Assert.Equal((T, "a/b"), (read.Time, read.Topic));
        Assert.Equal(payload, read.Payload);
    }
}
