using MqttRules.Cli;
using MqttRules.Diagnostics;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Cli;

/// <summary>The command line: help and --version, and a line that does not parse exits 2 before any command runs.</summary>
public class CommandLineTests
{
    [Theory]
    [InlineData("run", "--broker <URL>", "--demo")]
    [InlineData("validate", "<PATH>", "--rules <PATH>")]
    [InlineData("replay", "<FILE>", "--start <TIME>")]
    [InlineData("record", "--out <FILE>", "--topic <FILTER>")]
    [InlineData("healthcheck", "--http <ADDR>", "-h, --help")]
    [InlineData("schema", "-h, --help", "mqttrules schema > rules.schema.json")]
    public async Task Help_EveryCommand_Exit0WithItsOptionsAndExamples(string command, string shown, string alsoShown)
    {
        foreach (var flag in new[] { "-h", "--help" })
        {
            var result = await CliRunner.MainAsync([command, flag]);

            Assert.Equal(0, result.ExitCode);
            Assert.Contains($"mqttrules {command}", result.Stdout, StringComparison.Ordinal);
            Assert.Contains(shown, result.Stdout, StringComparison.Ordinal);
            Assert.Contains(alsoShown, result.Stdout, StringComparison.Ordinal);
            Assert.Contains("Examples:", result.Stdout, StringComparison.Ordinal);
            Assert.Equal("", result.Stderr);
        }
    }

    [Fact]
    public async Task Help_Validate_ShowsOnlyTheOptionsItUses()
    {
        var result = await CliRunner.MainAsync(["validate", "--help"]);

        Assert.DoesNotContain("--broker", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("--demo", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_Run_NamesEachVariableAndExamples()
    {
        var result = await CliRunner.MainAsync(["run", "-h"]);

        foreach (var flag in CliFlags.Common)
        {
            Assert.Contains($"[env: {flag.Env}]", result.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("mqttrules run --demo", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("MQTTRULES_SESSION_EXPIRY", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_NoCommand_ListsTheCommands()
    {
        var result = await CliRunner.MainAsync(["-h"]);

        Assert.Equal(0, result.ExitCode);
        foreach (var command in CommandLine.Commands)
        {
            Assert.Contains($"\n  {command} ", result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Help_HelpCommand_SameAsTheFlag()
    {
        var viaCommand = await CliRunner.MainAsync(["help", "replay"]);
        var viaFlag = await CliRunner.MainAsync(["replay", "--help"]);

        Assert.Equal(0, viaCommand.ExitCode);
        Assert.Equal(viaFlag.Stdout, viaCommand.Stdout);
    }

    [Fact]
    public async Task Help_HelpOfUnknownCommand_Exit2()
    {
        var result = await CliRunner.MainAsync(["help", "frobnicate"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown command 'frobnicate'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_PrintsTheInformationalVersion()
    {
        var result = await CliRunner.MainAsync(["--version"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([BuildInfo.Version], result.Lines);
        Assert.Matches(@"^\d+\.\d+\.\d+", BuildInfo.Version);
    }

    [Fact]
    public async Task Version_WithAnotherArgument_Exit2()
    {
        var result = await CliRunner.MainAsync(["--version", "extra"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void Metrics_BuildInfoCarriesTheVersion() =>
        Assert.Contains($"mqttrules_build_info{{version=\"{BuildInfo.Version}\"}} 1\n", new EngineMetrics().ToPrometheusText(), StringComparison.Ordinal);

    [Fact]
    public async Task UnknownOptions_ValidateWithOptionsOfOtherCommands_Exit2NamingEach()
    {
        using var dir = new TempDir();
        dir.Write("a.yaml", "rules: []\n");

        var result = await CliRunner.MainAsync(["validate", "--rules", dir.Path, "--demo", "--topic", "x"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("mqttrules validate: unknown option '--demo' (an option of run)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("mqttrules validate: unknown option '--topic' (an option of explain, record)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("mqttrules validate: unexpected argument 'x'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Run 'mqttrules validate --help'", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run", "--bogus")]
    [InlineData("run", "--bogus=1")]
    [InlineData("replay", "--broker-url")]
    [InlineData("record", "-x")]
    public async Task UnknownOption_Exit2BeforeTheCommandRuns(string command, string option)
    {
        var result = await CliRunner.MainAsync([command, option]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"mqttrules {command}: unknown option '{option.Split('=')[0]}'", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run", "extra")]
    [InlineData("schema", "extra")]
    [InlineData("replay", "a.jsonl", "extra")]
    [InlineData("validate", "rules", "extra")]
    [InlineData("run", "--dry-run", "extra")]
    public async Task StrayArgument_Exit2(params string[] args)
    {
        var result = await CliRunner.MainAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unexpected argument 'extra'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BooleanFlag_FollowedByFalse_IsAStrayArgumentNotItsValue()
    {
        var result = await CliRunner.MainAsync(["run", "--dry-run", "false"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unexpected argument 'false'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_Exit2ListingTheCommands()
    {
        var result = await CliRunner.MainAsync(["frobnicate"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("mqttrules: unknown command 'frobnicate'; commands: run, validate, replay", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OptionWithoutValue_Exit2()
    {
        var result = await CliRunner.MainAsync(["validate", "--rules"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--rules", result.Stderr, StringComparison.Ordinal);
    }
}
