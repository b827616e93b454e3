using MqttRules.Cli;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Cli;

/// <summary>What the commands read from a parsed line: positional forms, every flag's variable, the flag winning.</summary>
public class CommandLineOptionTests
{
    public static TheoryData<string> FlagsWithVariables => [.. CliFlags.All.Values.Where(f => f.Env is not null).Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(FlagsWithVariables))]
    public void EveryFlag_ItsVariableIsReadWhenTheFlagIsAbsent(string name)
    {
        var variable = CliFlags.All[name].Env!;
        var options = CliOptions.Parse(["run"], n => n == variable ? "from-env" : null);

        Assert.Equal("from-env", options.GetOrNull(name));
        Assert.Equal(variable, options.Source(name));
    }

    [Theory]
    [MemberData(nameof(FlagsWithVariables))]
    public void EveryFlag_WinsOverItsVariable(string name)
    {
        var variable = CliFlags.All[name].Env!;
        var flag = CliFlags.All[name].IsBool ? $"--{name}=false" : $"--{name}=from-flag";
        var options = CliOptions.Parse(["run", flag], n => n == variable ? "from-env" : null);

        Assert.Equal(CliFlags.All[name].IsBool ? "false" : "from-flag", options.GetOrNull(name));
        Assert.Equal($"--{name}", options.Source(name));
    }

    [Fact]
    public void BooleanFlag_Bare_IsTrueOverAFalseVariable() =>
        Assert.True(CliOptions.Parse(["run", "--dry-run"], n => n == "MQTTRULES_DRY_RUN" ? "false" : null).GetBool("dry-run"));

    [Fact]
    public void NoCommand_FlagsAreRuns()
    {
        var options = CliOptions.Parse(["--dry-run", "--broker", "mqtt://127.0.0.1:1884"], _ => null);

        Assert.Equal("run", options.Command);
        Assert.True(options.GetBool("dry-run"));
        Assert.Equal("mqtt://127.0.0.1:1884", options.GetOrNull("broker"));
    }

    [Fact]
    public void RepeatedFlag_LastWins_TopicCollects()
    {
        var options = CliOptions.Parse(["record", "--out", "a.jsonl", "--out", "b.jsonl", "--topic", "a/#", "--topic=b/+"], _ => null);

        Assert.Equal("b.jsonl", options.GetOrNull("out"));
        Assert.Equal(["a/#", "b/+"], options.GetAll("topic"));
    }

    [Fact]
    public void CommonOption_AcceptedByACommandThatDoesNotUseIt()
    {
        using var dir = new TempDir();
        dir.Write("a.yaml", "rules: []\n");

        var result = CliRunner.Run(["validate", dir.Path, "--broker", "mqtt://127.0.0.1:1", "--timezone", "Europe/London"]);

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Validate_PositionalPath_SameAsRulesFlag()
    {
        using var dir = new TempDir();
        dir.Write("a.yaml", "rules: []\n");

        var positional = await CliRunner.MainAsync(["validate", dir.Path]);
        var flag = await CliRunner.MainAsync(["validate", "--rules", dir.Path]);

        Assert.Equal(0, positional.ExitCode);
        Assert.Equal(["0 rules in 1 files: OK"], positional.Lines);
        Assert.Equal(flag.Stdout, positional.Stdout);
    }

    [Fact]
    public async Task Validate_PositionalPath_WinsOverTheVariable()
    {
        using var dir = new TempDir();
        dir.Write("a.yaml", "rules: []\n");

        var result = await CliRunner.MainAsync(["validate", dir.Path], n => n == "MQTTRULES_RULES" ? "/no/such/rules" : null);

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Validate_PathAndRulesFlagBoth_Exit2()
    {
        var result = await CliRunner.MainAsync(["validate", "a", "--rules", "b"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not both", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Replay_FileAndRulesFlagInEitherOrder(bool fileFirst)
    {
        using var dir = new TempDir();
        var rules = dir.Write("rules.yaml", "rules:\n  - id: hot\n    topic: t\n    when: value > 1\n    each_message: true\n    actions: [ { log: \"hot {{value}}\" } ]\n");
        var input = dir.Write("in.jsonl", "{\"t\": 0, \"topic\": \"t\", \"payload\": 5}\n");

        var result = await CliRunner.MainAsync(fileFirst ? ["replay", input, "--rules", rules] : ["replay", "--rules", rules, input]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"message\":\"hot 5\"", Assert.Single(result.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_RulesFromTheVariable()
    {
        using var dir = new TempDir();
        var rules = dir.Write("rules.yaml", "rules:\n  - id: hot\n    topic: t\n    each_message: true\n    actions: [ { log: hi } ]\n");
        var input = dir.Write("in.jsonl", "{\"t\": 0, \"topic\": \"t\", \"payload\": 5}\n");

        var result = await CliRunner.MainAsync(["replay", input], n => n == "MQTTRULES_RULES" ? rules : null);

        Assert.Equal(0, result.ExitCode);
        Assert.Single(result.Lines);
    }

    [Fact]
    public async Task Replay_NoFile_Exit1AsBefore()
    {
        var result = await CliRunner.MainAsync(["replay"]);

        Assert.Equal(1, result.ExitCode);
    }
}
