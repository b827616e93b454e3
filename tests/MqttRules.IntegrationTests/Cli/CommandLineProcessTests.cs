using MqttRules.Diagnostics;
using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Cli;

/// <summary>The built program as users start it: help and --version return at once, a bad line exits 2 without starting anything.</summary>
public sealed class CommandLineProcessTests
{
    private static ChildProcess Start(TempDir dir, params string[] args) =>
        MqttRulesCli.StartProcess(args, new Dictionary<string, string?> { ["DOTNET_NOLOGO"] = "1" }, dir.Path);

    private static async Task ExitsWith(int code, ChildProcess p) => Assert.Equal(code, await p.WaitForExitAsync(TimeSpan.FromSeconds(20)));

    [Theory]
    [InlineData("-h")]
    [InlineData("run", "-h")]
    [InlineData("run", "--help", "--broker", "mqtt://127.0.0.1:1")]
    public async Task Help_PrintsRunsOptionsWithoutStartingTheEngine(params string[] args)
    {
        using var dir = new TempDir();
        await using var p = Start(dir, args);
        await ExitsWith(0, p);

        Assert.Contains(p.Stdout, l => l.Contains("--broker <URL>", StringComparison.Ordinal));
        Assert.DoesNotContain(p.Stderr, l => l.Contains("starting", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(dir.Path, "mqttrules-state.db")));
    }

    [Fact]
    public async Task Version_IsTheBuildsInformationalVersion()
    {
        using var dir = new TempDir();
        await using var p = Start(dir, "--version");
        await ExitsWith(0, p);

        Assert.Equal([BuildInfo.Version], p.Stdout.Where(l => l.Length > 0));
    }

    [Fact]
    public async Task Validate_OptionsOfOtherCommands_ExitTwoInsteadOfOk()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.FilePath("rules"));
        dir.Write("rules/a.yaml", "rules: []\n");
        await using var p = Start(dir, "validate", "--demo", "--topic", "x");
        await ExitsWith(2, p);

        Assert.DoesNotContain(p.Stdout, l => l.Contains("OK", StringComparison.Ordinal));
        Assert.Contains(p.Stderr, l => l.Contains("unknown option '--demo'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_StrayArgument_ExitsTwoBeforeConnecting()
    {
        using var dir = new TempDir();
        await using var p = Start(dir, "run", "--broker", "mqtt://127.0.0.1:1", "stray");
        await ExitsWith(2, p);

        Assert.Contains(p.Stderr, l => l.Contains("unexpected argument 'stray'", StringComparison.Ordinal));
    }
}
