using System.Text.Json.Nodes;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Cli;

/// <summary>A password or secret query parameter in a webhook URL never shows in replay or validate output.</summary>
public class RedactedOutputTests
{
    [Fact]
    public void Replay_WebhookUrlWithCredentials_PrintedRedacted()
    {
        var result = CliRunner.Replay("""
            rules:
              - id: tank-high
                topic: tank/level
                when: value > 30
                actions:
                  - webhook: { url: "https://alerts:hunter2@hooks.example/x?channel=ops&token=s3cret", body: "{{value}}" }
            """, """{"t": 0, "topic": "tank/level", "payload": 50}""");

        Assert.Equal(0, result.ExitCode);
        var line = Assert.Single(result.Lines);
        Assert.Equal("https://alerts:***@hooks.example/x?channel=ops&token=***", JsonNode.Parse(line)!["url"]!.GetValue<string>());
        Assert.DoesNotContain("hunter2", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ProblemQuotingAUrl_Redacted()
    {
        using var dir = new TempDir();
        dir.Write("a.yaml", """
            rules:
              - id: tank-high
                topic: tank/level
                each_message: true
                actions:
                  - webhook: { url: "ftp://alerts:hunter2@hooks.example/x?sig=s3cret" }
            """);

        var result = CliRunner.Run(["validate", "--rules", dir.Path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'ftp://alerts:***@hooks.example/x?sig=***' is not an http:// or https:// URL", result.Lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", result.Stdout, StringComparison.Ordinal);
    }
}
