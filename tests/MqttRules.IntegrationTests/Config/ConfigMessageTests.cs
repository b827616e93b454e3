using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Config;

/// <summary>Configuration problems are one-line messages naming the variable; credential warnings only when a rule needs them.</summary>
public sealed class ConfigMessageTests
{
    private const string TweetRule = """
        rules:
          - id: tank-tweet
            topic: tank/{tank}/level
            when: value > 30
            actions:
              - tweet: "Tank {{tank}} at {{value}}"
        """;

    [Theory]
    [InlineData("SMTP_URL_FILE")]
    [InlineData("X_API_KEY_FILE")]
    [InlineData("MQTTRULES_PASSWORD_FILE")]
    public async Task Run_UnreadableSecretFile_ExitsOneWithOneLineNamingIt(string variable)
    {
        using var dir = new TempDir();
        await using var p = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, "mqtt://127.0.0.1:1", new Dictionary<string, string?> { [variable] = "/nonexistent" });

        Assert.Equal(1, await p.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        var line = Assert.Single(p.Stderr, l => l.Length > 0);
        Assert.Equal($"mqttrules: {variable}: cannot read '/nonexistent' (no such file); check the path and its permissions", line);
    }

    [Fact]
    public async Task Run_BadLogLevel_ExitsOneNamingIt()
    {
        using var dir = new TempDir();
        await using var p = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, "mqtt://127.0.0.1:1", new Dictionary<string, string?> { ["MQTTRULES_LOG_LEVEL"] = "loud" });

        Assert.Equal(1, await p.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal("mqttrules: MQTTRULES_LOG_LEVEL: must be debug, info, warning or error, not 'loud'", Assert.Single(p.Stderr, l => l.Length > 0));
    }

    /// <summary>The engine's start-up lines against a real Mosquitto, up to "Subscribed to".</summary>
    private static async Task<IReadOnlyList<string>> StartupLines(string rules, Dictionary<string, string?>? env = null)
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        await using var engine = MqttRulesCli.Start(dir, rules, MqttRulesCli.Url(broker.Port), env);
        await engine.WaitForStderrAsync("Subscribed to");
        return engine.Stderr;
    }

    [Fact]
    public async Task Run_SomeXVariables_WarnsNamingTheMissingOnes()
    {
        var lines = await StartupLines(TweetRule, new Dictionary<string, string?> { ["X_API_KEY"] = "k", ["X_ACCESS_TOKEN"] = "t" });

        Assert.Contains(lines, l => l.Contains("X credentials are incomplete: X_API_SECRET, X_ACCESS_TOKEN_SECRET not set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_TweetRuleWithoutX_WarnsAboutXButNotSmtp()
    {
        var lines = await StartupLines(TweetRule);

        Assert.Contains(lines, l => l.Contains("X credentials are not configured", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("SMTP_URL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_NoTweetOrEmailRules_NoCredentialWarnings()
    {
        var lines = await StartupLines(MqttRulesCli.SwitchRules, new Dictionary<string, string?> { ["X_API_KEY"] = "k", ["X_API_SECRET"] = "s" });

        Assert.DoesNotContain(lines, l => l.Contains("X credentials", StringComparison.Ordinal) || l.Contains("SMTP_URL", StringComparison.Ordinal));
    }
}
