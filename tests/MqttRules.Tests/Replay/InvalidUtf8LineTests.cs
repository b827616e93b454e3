#pragma warning disable CA1707
using System.Text;
using MqttRules.Replay;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Replay;

/// <summary>
/// Replay reads raw bytes as live does: invalid UTF-8 inside a payload is a bad payload (skipped
/// and counted, not read as U+FFFD), anywhere else a bad line naming its number.
/// </summary>
public class InvalidUtf8LineTests
{
    private const string EachMessage = """
        rules:
          - id: each
            topic: s/+/x
            each_message: true
            actions: [ { log: "v={{v}}" } ]
        """;

    private static byte[] Line(string before, byte[] bad, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. bad, .. Encoding.UTF8.GetBytes(after)];

    private static List<ReplayLine> Read(params byte[][] lines)
    {
        using var stream = new MemoryStream([.. lines.SelectMany(l => l.Append((byte)'\n'))]);
        return ReplayReader.Read(stream, ReplayReader.DefaultStart).ToList();
    }

    [Theory]
    [InlineData("{\"t\":1,\"topic\":\"s/a/x\",\"payload\":{\"v\":\"", "\"}}")]
    [InlineData("{\"t\":1,\"topic\":\"s/a/x\",\"payload\":\"", "\"}")]
    [InlineData("{\"t\":1,\"payload\":[\"", "\"],\"topic\":\"s/a/x\"}")]
    public void Read_InvalidUtf8InsideThePayload_BadPayloadNotABadLine(string before, string after)
    {
        var lines = Read(Line(before, [0xFF, 0xFE], after), "{\"t\":2,\"topic\":\"s/b/x\",\"payload\":{\"v\":\"ok\"}}"u8.ToArray());

        Assert.Equal(["s/a/x", "s/b/x"], lines.Select(l => l.Topic));
        Assert.Null(lines[0].Payload);
        Assert.Equal("{\"v\":\"ok\"}", Encoding.UTF8.GetString(lines[1].Payload!));
    }

    [Theory]
    [InlineData("{\"t\":1,\"topic\":\"s/", "/x\",\"payload\":{\"v\":1}}")]
    [InlineData("{\"t\":1,\"topic\":\"s/a/x\",\"note\":\"", "\",\"payload\":{\"v\":1}}")]
    [InlineData("{\"t\":\"2026-01-01", "\",\"topic\":\"s/a/x\",\"payload\":1}")]
    public void Read_InvalidUtf8OutsideThePayload_BadLineNamingItsNumber(string before, string after)
    {
        var ex = Assert.Throws<ReplayFormatException>(() => Read("{\"t\":0,\"topic\":\"s/a/x\",\"payload\":1}"u8.ToArray(), Line(before, [0xFF, 0xFE], after)));

        Assert.Equal(2, ex.Line);
        Assert.Contains("not valid UTF-8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ByteOrderMarkAndCrLf_ReadAsBefore()
    {
        var lines = Read([0xEF, 0xBB, 0xBF, .. "{\"t\":0,\"topic\":\"a\",\"payload\":\"é\"}\r"u8], "  \r"u8.ToArray(), "{\"t\":1,\"topic\":\"b\",\"payload\":2}"u8.ToArray());

        Assert.Equal(["a", "b"], lines.Select(l => l.Topic));
        Assert.Equal("é", Encoding.UTF8.GetString(lines[0].Payload!));
    }

    [Fact]
    public void Replay_InvalidUtf8InAPayload_SkippedAndCountedLikeLive()
    {
        using var temp = new TempDir();
        var rules = temp.Write("rules.yaml", EachMessage);
        var input = Path.Combine(temp.Path, "in.jsonl");
        File.WriteAllBytes(input, [.. Line("{\"t\":1,\"topic\":\"s/a/x\",\"payload\":{\"v\":\"", [0xFF, 0xFE], "\"}}\n"), .. "{\"t\":2,\"topic\":\"s/b/x\",\"payload\":{\"v\":\"ok\"}}\n"u8]);

        var result = CliRunner.Run(["replay", input, "--rules", rules]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"message\":\"v=ok\"", Assert.Single(result.Lines));
    }

    [Fact]
    public void Run_InvalidUtf8InAPayload_CountedAsABadPayload()
    {
        using var temp = new TempDir();
        var input = Path.Combine(temp.Path, "in.jsonl");
        File.WriteAllBytes(input, [.. Line("{\"t\":1,\"topic\":\"s/a/x\",\"payload\":{\"v\":\"", [0xFF, 0xFE], "\"}}\n"), .. "{\"t\":2,\"topic\":\"s/b/x\",\"payload\":{\"v\":\"ok\"}}\n"u8]);
        var metrics = new MqttRules.Diagnostics.EngineMetrics();
        var sink = new MqttRules.Actions.ListActionSink();

        new ReplayRunner(Yaml.Rules(EachMessage), sink, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeZoneInfo.Utc)
        {
            Configure = (_, o) => o with { Metrics = metrics },
        }.Run(input, ReplayReader.DefaultStart);

        Assert.Equal(["v=ok"], sink.Actions.Select(a => a.LogMessage()));
        Assert.Equal((2, 1), (metrics.Messages, metrics.PayloadErrors));
    }

    [Fact]
    public void Replay_InvalidUtf8InATopic_ExitOneNamingTheLine()
    {
        using var temp = new TempDir();
        var rules = temp.Write("rules.yaml", EachMessage);
        var input = Path.Combine(temp.Path, "in.jsonl");
        File.WriteAllBytes(input, [.. "{\"t\":1,\"topic\":\"s/a/x\",\"payload\":{\"v\":1}}\n"u8, .. Line("{\"t\":2,\"topic\":\"s/", [0xC3], "/x\",\"payload\":{\"v\":2}}\n")]);

        var result = CliRunner.Run(["replay", input, "--rules", rules]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("in.jsonl:2: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Lines);
    }
}
