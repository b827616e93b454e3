using MqttRules.Diagnostics;
using MqttRules.Loading;

namespace MqttRules.Cli;

/// <summary><c>mqttrules validate</c>: every problem as FILE:LINE:COL: message, then one summary line.</summary>
internal static class ValidateCommand
{
    public static int Run(CliOptions options, TextWriter stdout)
    {
        var result = RuleLoader.Load(options.RulesPath);
        foreach (var problem in result.Problems)
        {
            stdout.WriteLine(Redaction.Current.Text(problem.ToString()));
        }

        stdout.WriteLine(result.Summary);
        if (!result.Ok)
        {
            return 1;
        }

        return options.GetOrNull("input") is { } input ? CheckRecording(result, input, stdout) : 0;
    }

    /// <summary><c>--input FILE.jsonl</c>: what a recording shows about the rules (an extension; see README).</summary>
    private static int CheckRecording(LoadResult loaded, string input, TextWriter stdout)
    {
        IReadOnlyList<Checking.Finding> findings;
        Checking.RecordingSummary summary;
        try
        {
            using var stream = File.OpenRead(input);
            findings = Checking.RecordingCheck.Check(loaded.Rules, Replay.ReplayReader.Read(stream, Replay.ReplayReader.DefaultStart), out summary);
        }
        catch (Replay.ReplayFormatException ex)
        {
            stdout.WriteLine($"{input}:{ex.Line}: {ex.Reason}");
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stdout.WriteLine($"{input}: cannot read the recording: {ex.Message}");
            return 1;
        }

        foreach (var finding in findings)
        {
            stdout.WriteLine(Redaction.Current.Text(finding.ToString()));
        }

        stdout.WriteLine($"{input}: {summary.Messages} messages on {summary.Topics} topics: {(findings.Count == 0 ? "OK" : $"{findings.Count} findings")}");
        return findings.Count == 0 ? 0 : 1;
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
