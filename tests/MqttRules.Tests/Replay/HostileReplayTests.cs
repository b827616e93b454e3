using MqttRules.Tests.Support;

namespace MqttRules.Tests.Replay;

/// <summary>Issue 10, point 3: <c>last()</c> reading a string that is not valid text crashed replay (exit 134).</summary>
public class HostileReplayTests
{
    private const string ReadsLast = """
        rules:
          - id: x
            topic: a/b
            when: value > 1 and (last('a/c', 'v') ?? 'none') != 'x'
            actions:
              - log: "v={{last('a/c', 'v') ?? 'none'}}"
        """;

    [Theory]
    [InlineData("{\"t\": 0, \"topic\": \"a/c\", \"payload\": {\"v\": \"\\udc00\"}}")]
    [InlineData("{\"t\": 0, \"topic\": \"a/c\", \"payload_b64\": \"eyJ2IjoiYf/+In0=\"}")]
    public void Replay_LastReadsAStringThatIsNotText_BadPayloadSkipped(string badLine)
    {
        var result = CliRunner.Replay(ReadsLast, badLine + "\n{\"t\": 1, \"topic\": \"a/b\", \"payload\": 5}\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"message\":\"v=none\"", Assert.Single(result.Lines));
    }
}
