using System.CommandLine;
using MqttRules.Configuration;
using MqttRules.Diagnostics;

namespace MqttRules.Cli;

/// <summary>
/// The program: parse the line (a line that does not parse exits 2), then run the command it
/// names; a command that fails prints one line and exits 1.
/// </summary>
internal static class CliMain
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> env)
    {
        try
        {
            return await ParseAndRunAsync(args, stdout, stderr, env);
        }
        catch (Exception ex) when (ex is UsageException or ConfigException)
        {
            // A bad value, an unreadable *_FILE: one line naming the flag or variable, never a stack trace.
            await stderr.WriteLineAsync($"mqttrules: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The last line of defence: whatever input got this far is reported in one line, exit 1, never a crash (exit 134).
            await stderr.WriteLineAsync($"mqttrules: {Describe(ex)}");
            return 1;
        }
    }

    /// <summary>The exception and its causes, innermost last ("TypeInitializationException: … ← the cause"), on one line.</summary>
    internal static string Describe(Exception ex)
    {
        var text = new System.Text.StringBuilder();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            text.Append(text.Length == 0 ? "" : " <- ").Append(e.GetType().Name).Append(": ").Append(e.Message.ReplaceLineEndings(" "));
        }

        return Redaction.Current.Text(text.ToString());
    }

    private static async Task<int> ParseAndRunAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> env)
    {
        var root = CommandLine.Create((result, _) => RunCommandAsync(CliOptions.From(result, env), stdout, stderr));
        var parsed = CliOptions.ParseLine(root, args);
        if (UsageErrors.Any(parsed))
        {
            return UsageErrors.Report(parsed, stderr);
        }

        // No termination handler of System.CommandLine: run and record stop on SIGINT/SIGTERM themselves (Shutdown).
        return await parsed.InvokeAsync(new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        });
    }

    private static async Task<int> RunCommandAsync(CliOptions options, TextWriter stdout, TextWriter stderr) => options.Command switch
    {
        "validate" => ValidateCommand.Run(options, stdout),
        "replay" => ReplayCommand.Run(options, stdout, stderr),
        "test" => TestCommand.Run(options, stdout, stderr),
        "explain" => ExplainCommand.Run(options, stdout, stderr),
        "schema" => SchemaCommand.Run(stdout, options.GetBool("tests")),
        "healthcheck" => await HealthcheckCommand.RunAsync(options, stdout),
        "record" => await RecordCommand.RunAsync(options),
        _ => await RunCommand.RunAsync(options),
    };
}
