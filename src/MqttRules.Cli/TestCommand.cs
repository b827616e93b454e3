using Microsoft.Extensions.Logging;
using MqttRules.Engine;
using MqttRules.Loading;
using MqttRules.Replay;
using MqttRules.Testing;

namespace MqttRules.Cli;

/// <summary>
/// <c>mqttrules test [PATH...]</c>: runs rule tests (<c>*.test.yaml</c>, sample folders) on the replay
/// clock; a line per case, the differences of each failed one, a summary; exit 0 when all pass.
/// </summary>
internal static class TestCommand
{
    public static int Run(CliOptions options, TextWriter stdout, TextWriter stderr)
    {
        var paths = options.Arguments.Count > 0 ? options.Arguments : [options.RulesPath];
        var zone = options.TimeZone();
        var maxSeries = SeriesLimitSetting.FromEnvironment(options.Env);
        var problems = new List<Problem>();
        var cases = RuleTestDiscovery.Find(paths, problems, options.Env);
        foreach (var problem in problems)
        {
            stderr.WriteLine(problem);
        }

        using var loggers = Logging.Create(options, LogLevel.Error);
        var logger = loggers.CreateLogger("test");
        var runner = new RuleTestRunner(
            (rules, sink) => Hosting.EngineComposition.Replay(rules, sink, logger, zone, maxSeries),
            options.Env);
        var results = new List<RuleTestResult>();
        foreach (var test in cases)
        {
            var result = runner.Run(test);
            RuleTestReport.Write(stdout, result);
            results.Add(result);
        }

        stdout.WriteLine(RuleTestReport.Summary(results, problems));
        if (options.GetOrNull("junit") is { } junit)
        {
            RuleTestReport.WriteJUnit(junit, results, problems);
        }

        return problems.Count == 0 && results.Count > 0 && results.All(r => r.Passed) ? 0 : 1;
    }
}
