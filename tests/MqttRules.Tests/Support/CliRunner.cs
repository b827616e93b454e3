using MqttRules.Cli;

namespace MqttRules.Tests.Support;

/// <summary>Runs the CLI commands in-process, capturing stdout and stderr.</summary>
internal static class CliRunner
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr)
    {
        public IReadOnlyList<string> Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public static Outcome Replay(string rulesYaml, string input, params string[] extra)
    {
        using var dir = new TempDir();
        var rules = dir.Write("rules.yaml", rulesYaml);
        var file = dir.Write("in.jsonl", input);
        return Run(["replay", file, "--rules", rules, .. extra]);
    }

    /// <summary>The whole program as <c>Main</c> runs it (parsing, help, --version, exit 2 on a bad line), for commands that do not start the engine.</summary>
    public static async Task<Outcome> MainAsync(string[] args, Func<string, string?>? env = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliMain.RunAsync(args, stdout, stderr, env ?? (_ => null));
        return new Outcome(code, stdout.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), stderr.ToString());
    }

    public static Outcome Run(string[] args, Func<string, string?>? env = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var options = CliOptions.Parse(args, env ?? (_ => null));
        var code = options.Command switch
        {
            "validate" => ValidateCommand.Run(options, stdout),
            "replay" => ReplayCommand.Run(options, stdout, stderr),
            "test" => TestCommand.Run(options, stdout, stderr),
            _ => throw new ArgumentException($"not runnable in-process: {options.Command}"),
        };
        return new Outcome(code, stdout.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), stderr.ToString());
    }
}
