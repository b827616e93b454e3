using System.Globalization;
using Microsoft.Extensions.Logging;
using MqttRules.Actions;
using MqttRules.Engine;
using MqttRules.Replay;

namespace MqttRules.Cli;

/// <summary><c>mqttrules replay FILE.jsonl</c>: the actions a recording would cause, as JSON lines on stdout.</summary>
internal static class ReplayCommand
{
    public static int Run(CliOptions options, TextWriter stdout, TextWriter stderr)
    {
        if (options.Arguments.Count != 1)
        {
            throw new UsageException("replay takes one file: mqttrules replay FILE.jsonl");
        }

        var path = options.Arguments[0];
        if (!File.Exists(path))
        {
            stderr.WriteLine($"{path}: no such file");
            return 1;
        }

        var start = ReplayReader.DefaultStart;
        if (options.GetOrNull("start") is { } startText &&
            !DateTimeOffset.TryParse(startText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out start))
        {
            throw new UsageException($"--start '{startText}' is not an ISO-8601 time");
        }

        var zone = options.TimeZone();
        int maxSeries;
        try
        {
            maxSeries = SeriesLimitSetting.FromEnvironment(options.Env);
        }
        catch (Configuration.ConfigException ex)
        {
            stderr.WriteLine($"mqttrules: {ex.Message}");
            return 1;
        }

        if (ValidateCommand.LoadOrReport(options, stderr) is not { } loaded)
        {
            return 1;
        }

        try
        {
            ReplayRunner.Validate(path, start);
        }
        catch (ReplayFormatException ex)
        {
            stderr.WriteLine($"{path}:{ex.Line}: {ex.Reason}");
            return 1;
        }

        using var loggers = Logging.Create(options, LogLevel.Warning);
        var sink = new WriterSink(stdout);
        var explain = options.GetBool("explain") ? new ExplainLines(stdout) : null;
        var runner = Hosting.EngineComposition.Replay(loaded.Rules, sink, loggers.CreateLogger("replay"), zone, maxSeries, explain);
        runner.Run(path, start);
        stdout.Flush();
        return 0;
    }

    /// <summary><c>--explain</c>: every decision as a <c>{"explain": ...}</c> line, written before the actions it causes.</summary>
    private sealed class ExplainLines(TextWriter writer) : IDecisionObserver
    {
        public bool Wants(string ruleId) => true;

        public IReadOnlyList<string> FieldsRead(string condition, IReadOnlyList<string> captures) => Explaining.ConditionFields.Of(condition, captures);

        public void Observe(RuleDecision decision) => writer.WriteLine(Explaining.DecisionJson.ToJson(decision, wrap: true));
    }

    private sealed class WriterSink(TextWriter writer) : IActionSink
    {
        public void Submit(RenderedAction action) => writer.WriteLine(ActionJson.ToJson(action));
    }
}
