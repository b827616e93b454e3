using MqttRules.Diagnostics;
using MqttRules.Loading;

namespace MqttRules.Cli;

/// <summary><c>mqttrules validate</c>: every problem as FILE:LINE:COL: message, then one summary line.</summary>
public static class ValidateCommand
{
    public static int Run(CliOptions options, TextWriter stdout)
    {
        var result = RuleLoader.Load(options.RulesPath);
        foreach (var problem in result.Problems)
        {
            stdout.WriteLine(Redaction.Current.Text(problem.ToString()));
        }

        stdout.WriteLine(result.Summary);
        return result.Ok ? 0 : 1;
    }

    /// <summary>Loads rules for run and replay: on problems, prints them to stderr and returns null.</summary>
    public static LoadResult? LoadOrReport(CliOptions options, TextWriter stderr)
    {
        var result = RuleLoader.Load(options.RulesPath);
        if (result.Ok)
        {
            return result;
        }

        foreach (var problem in result.Problems)
        {
            stderr.WriteLine(Redaction.Current.Text(problem.ToString()));
        }

        stderr.WriteLine(result.Summary);
        return null;
    }
}
